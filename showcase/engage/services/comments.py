"""Comments under a video: shoppers post and reply; the video's creator pins, hides and
deletes; authors delete their own. Someone else's video's comments are as unknown as
missing ones (404)."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Forbidden, InvalidInput, NotFound
from creators.models import User, Video

from ..mentions import mentions_product
from ..models import COMMENT_MAX_CHARS, Comment, CommentModeration

Status = Comment.Status
# The same text posted twice this quickly by the same person is one comment (double tap).
REPEAT_WINDOW = datetime.timedelta(seconds=10)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidInput(_("Write something first."), field="body", code="required")
    if len(body) > COMMENT_MAX_CHARS:
        raise InvalidInput(_("A comment can be at most %(max)d characters.") % {"max": COMMENT_MAX_CHARS},
                           field="body", code="too_long")
    return body


def _video_product_titles(video_id: int) -> list[str]:
    from showcase import selectors as showcase_selectors

    titles = [p.title for p in showcase_selectors.video_cart_products(video_ids=[video_id]).get(video_id, [])]
    titles += [p.title for p in showcase_selectors.video_seeding_tags(video_ids=[video_id]).get(video_id, [])]
    return titles


def comment_post(*, video_id: int, author: User, body: str, parent_id: int | None = None) -> Comment:
    """A comment on a public video, or a reply to one of its visible comments.

    Replies stay one level deep: answering a reply attaches to its top-level comment and
    records whom it answers.
    """
    if not getattr(author, "is_authenticated", False):
        raise Forbidden(_("Log in to comment."), field="author", code="login_required")
    video = Video.objects.filter(pk=video_id).only("pk", "owner_id", "is_public").first()
    if video is None or not (video.is_public or video.owner_id == author.pk):
        raise NotFound(_("No such video."), field="video")
    body = _clean_body(body)
    parent = reply_to = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, video_id=video.pk, status=Status.VISIBLE).first()
        if parent is None:
            raise NotFound(_("The comment you are replying to is gone."), field="parent", code="parent_not_found")
        if parent.parent_id is not None:
            root = Comment.objects.filter(pk=parent.parent_id, status=Status.VISIBLE).first()
            if root is None:
                raise NotFound(_("The comment you are replying to is gone."), field="parent", code="parent_not_found")
            reply_to, parent = parent.author, root
    recent = Comment.objects.filter(
        video_id=video.pk, author=author, parent=parent, body=body, status=Status.VISIBLE,
        created_at__gte=timezone.now() - REPEAT_WINDOW,
    ).first()
    if recent is not None:
        return recent
    return Comment.objects.create(
        video_id=video.pk, author=author, parent=parent, reply_to=reply_to, body=body,
        mentions_product=mentions_product(body, product_titles=_video_product_titles(video.pk)),
    )


def _moderated(*, owner: User, comment_id: int) -> Comment:
    """A (locked) comment on one of ``owner``'s videos; anything else is a 404."""
    comment = (Comment.objects.select_for_update().filter(pk=comment_id, video__owner_id=owner.pk)
               .exclude(status=Status.DELETED).first()) if getattr(owner, "is_authenticated", False) else None
    if comment is None:
        raise NotFound(_("No such comment."), field="comment")
    return comment


def _move(comment: Comment, *, to: str, actor: User, action: str) -> Comment:
    if to != comment.status and to not in Comment.TRANSITIONS[Status(comment.status)]:
        raise InvalidInput(_("This comment is %(status)s and cannot be changed that way.")
                           % {"status": Status(comment.status).label}, field="comment", code="transition")
    fields = ["status", "moderated_at", "moderated_by"]
    comment.status = to
    if comment.is_pinned and to != Status.VISIBLE:
        comment.is_pinned = False
        fields.append("is_pinned")
    comment.moderated_at = timezone.now()
    comment.moderated_by = actor
    comment.save(update_fields=fields)
    CommentModeration.objects.create(comment=comment, action=action, actor=actor)
    return comment


@transaction.atomic
def comment_pin(*, owner: User, comment_id: int) -> Comment:
    """Pin a top-level comment (置顶); the video's previously pinned comment is unpinned."""
    comment = _moderated(owner=owner, comment_id=comment_id)
    # One pin per video: concurrent pins on the same video queue on the video row.
    Video.objects.select_for_update().filter(pk=comment.video_id).values_list("pk", flat=True).get()
    if comment.parent_id is not None:
        raise InvalidInput(_("Only a top-level comment can be pinned, not a reply."), field="comment",
                           code="reply_not_pinnable")
    if comment.status != Status.VISIBLE:
        raise InvalidInput(_("Show the comment again before pinning it."), field="comment", code="hidden")
    if comment.is_pinned:
        return comment
    previous = Comment.objects.filter(video_id=comment.video_id, is_pinned=True).first()
    if previous is not None:
        Comment.objects.filter(pk=previous.pk).update(is_pinned=False)
        CommentModeration.objects.create(comment=previous, action=CommentModeration.Action.UNPIN, actor=owner)
    comment.is_pinned = True
    comment.moderated_at = timezone.now()
    comment.moderated_by = owner
    comment.save(update_fields=["is_pinned", "moderated_at", "moderated_by"])
    CommentModeration.objects.create(comment=comment, action=CommentModeration.Action.PIN, actor=owner)
    return comment


@transaction.atomic
def comment_unpin(*, owner: User, comment_id: int) -> Comment:
    comment = _moderated(owner=owner, comment_id=comment_id)
    if comment.is_pinned:
        comment.is_pinned = False
        comment.moderated_at = timezone.now()
        comment.moderated_by = owner
        comment.save(update_fields=["is_pinned", "moderated_at", "moderated_by"])
        CommentModeration.objects.create(comment=comment, action=CommentModeration.Action.UNPIN, actor=owner)
    return comment


@transaction.atomic
def comment_hide(*, owner: User, comment_id: int) -> Comment:
    """Hide a comment from shoppers (its author still sees it in place, the creator in E后台)."""
    comment = _moderated(owner=owner, comment_id=comment_id)
    if comment.status == Status.HIDDEN:
        return comment
    return _move(comment, to=Status.HIDDEN, actor=owner, action=CommentModeration.Action.HIDE)


@transaction.atomic
def comment_unhide(*, owner: User, comment_id: int) -> Comment:
    comment = _moderated(owner=owner, comment_id=comment_id)
    if comment.status == Status.VISIBLE:
        return comment
    return _move(comment, to=Status.VISIBLE, actor=owner, action=CommentModeration.Action.UNHIDE)


@transaction.atomic
def comment_delete(*, actor: User, comment_id: int, video_id: int | None = None) -> None:
    """Delete a comment: its author may, and so may the creator of the video. Its replies
    go with it (nobody sees replies to a deleted comment)."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound(_("No such comment."), field="comment")
    comment = (Comment.objects.select_for_update().select_related("video")
               .filter(pk=comment_id).exclude(status=Status.DELETED).first())
    if comment is None or actor.pk not in (comment.author_id, comment.video.owner_id) or (
            video_id is not None and comment.video_id != video_id):
        raise NotFound(_("No such comment."), field="comment")
    _move(comment, to=Status.DELETED, actor=actor, action=CommentModeration.Action.DELETE)


@transaction.atomic
def comment_operator_set_status(*, operator: User, comment_id: int, status: str) -> Comment:
    """An operator (staff) hides, shows again or deletes any comment, e.g. after a report."""
    if not getattr(operator, "is_staff", False):
        raise Forbidden(_("Only operators moderate other creators' comments."), field="operator", code="not_staff")
    comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(_("No such comment."), field="comment")
    if status not in Status.values:
        raise InvalidInput(_("Unknown comment status."), field="status", code="invalid")
    if comment.status == status:
        return comment
    action = {Status.HIDDEN: CommentModeration.Action.HIDE, Status.VISIBLE: CommentModeration.Action.UNHIDE,
              Status.DELETED: CommentModeration.Action.DELETE}[Status(status)]
    return _move(comment, to=status, actor=operator, action=action)
