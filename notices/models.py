"""Inbox messages that official accounts (电商小助手, 购物助手, ...) send to users."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class OfficialKind(models.TextChoices):
    """The official accounts; each is a user with ``is_official`` and a fixed Douyin number."""

    COMMERCE_ASSISTANT = "commerce_assistant", _("Commerce assistant")
    SHOPPING_ASSISTANT = "shopping_assistant", _("Shopping assistant")


class InboxMessage(models.Model):
    """One message in a user's conversation with an official account.

    ``title``, ``body`` and the string ``params`` may be English msgids (marked with
    ``gettext_noop``); they are translated and filled when shown, so each reader sees the
    message in their own language. Text not in the catalogue (an operator's reason, say)
    is shown as written.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="inbox_messages", verbose_name=_("recipient"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="sent_inbox_messages",
        limit_choices_to={"is_official": True}, verbose_name=_("official account"),
    )
    kind = models.CharField(_("kind"), max_length=50, help_text=_("What the message is about, e.g. cart_application.approved."))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    dedupe_key = models.CharField(
        _("deduplication key"), max_length=100, null=True, blank=True,
        help_text=_("The same key never creates a second message for the same recipient."),
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=Q(dedupe_key__isnull=False),
                name="inbox_message_once_per_key",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "sender", "read_at"], name="inbox_conversation_unread")]

    def __str__(self) -> str:
        return self.display_title

    def _render(self, text: str) -> str:
        if not text:
            return ""
        translated = gettext(text)
        if not self.params:
            return translated
        params = {k: gettext(v) if isinstance(v, str) and v else v for k, v in self.params.items()}
        try:
            return translated % params
        except (KeyError, ValueError, TypeError):
            return text

    @property
    def display_title(self) -> str:
        return self._render(self.title)

    @property
    def display_body(self) -> str:
        return self._render(self.body)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
