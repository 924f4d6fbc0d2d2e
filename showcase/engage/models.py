"""Comments on videos and private messages (私信) between two users.

* ``Comment`` is a shopper's words under a video: a top-level comment or a reply to one
  (replies stay one level deep; ``reply_to`` names whom a reply answers). The video's
  creator pins one top-level comment (置顶), hides or deletes any; shoppers see only
  visible ones. ``mentions_product`` marks comments that name one of the video's products
  or carry a product link, for the back office filter (E后台).
* ``Conversation`` is the one thread between two users (stored with the lower id first)
  and ``PrivateMessage`` a message in it; a message is unread until its recipient opens
  the thread.

Every write goes through ``showcase.engage.services``.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_CHARS = 300
MESSAGE_MAX_CHARS = 1000


class Comment(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden by the creator")
        DELETED = "deleted", _("Deleted")

    # Hidden comments can be shown again; a deleted comment stays deleted.
    TRANSITIONS = {
        Status.VISIBLE: {Status.HIDDEN, Status.DELETED},
        Status.HIDDEN: {Status.VISIBLE, Status.DELETED},
        Status.DELETED: set(),
    }

    video = models.ForeignKey("creators.Video", models.CASCADE, related_name="comments", verbose_name=_("video"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="comments",
                               verbose_name=_("author"))
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True, related_name="replies",
                               verbose_name=_("reply to comment"))
    reply_to = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("replying to"))
    body = models.TextField(_("text"), max_length=COMMENT_MAX_CHARS)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.VISIBLE)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    mentions_product = models.BooleanField(
        _("mentions a product"), default=False,
        help_text=_("The text names one of the video's products or contains a product link."),
    )
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("moderated by"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["video"], condition=Q(is_pinned=True), name="comment_one_pinned_per_video"),
            models.CheckConstraint(condition=Q(is_pinned=False) | (Q(parent__isnull=True) & Q(status="visible")),
                                   name="comment_pinned_is_visible_top_level"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="comment_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["video", "status", "parent", "-created_at"], name="comment_video_thread"),
            models.Index(fields=["video", "mentions_product"], name="comment_video_mentions"),
        ]

    def __str__(self) -> str:
        return self.body[:40]

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.VISIBLE


class CommentModeration(models.Model):
    """History: every pin, unpin, hide, unhide and delete of a comment, and who did it."""

    class Action(models.TextChoices):
        PIN = "pin", _("Pinned")
        UNPIN = "unpin", _("Unpinned")
        HIDE = "hide", _("Hidden")
        UNHIDE = "unhide", _("Shown again")
        DELETE = "delete", _("Deleted")

    comment = models.ForeignKey(Comment, models.CASCADE, related_name="history", verbose_name=_("comment"))
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment moderation")
        verbose_name_plural = _("comment moderation history")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.comment_id} {self.action}"


class Conversation(models.Model):
    user_low = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+",
                                 verbose_name=_("participant"))
    user_high = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+",
                                  verbose_name=_("participant"))
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("private conversation")
        verbose_name_plural = _("private conversations")
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user_low", "user_high"], name="conversation_one_per_pair"),
            models.CheckConstraint(condition=Q(user_low__lt=F("user_high")), name="conversation_pair_ordered"),
        ]
        indexes = [models.Index(fields=["user_high", "-last_message_at"], name="conversation_high_recent")]

    def __str__(self) -> str:
        return f"{self.user_low_id} ↔ {self.user_high_id}"

    def other_id(self, user_id: int) -> int:
        return self.user_high_id if user_id == self.user_low_id else self.user_low_id


class PrivateMessage(models.Model):
    conversation = models.ForeignKey(Conversation, models.CASCADE, related_name="messages",
                                     verbose_name=_("conversation"))
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("sender"))
    # The other participant, kept on the row so that unread counts are one indexed lookup.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+",
                                  verbose_name=_("recipient"))
    body = models.TextField(_("text"), max_length=MESSAGE_MAX_CHARS)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("private message")
        verbose_name_plural = _("private messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="pm_thread_order"),
            models.Index(fields=["recipient", "read_at"], name="pm_unread"),
        ]

    def __str__(self) -> str:
        return self.body[:40]
