"""Private messages (私信) between two users: one conversation per pair, unread until the
recipient opens it. Until the recipient replies or follows the sender, the sender may
send only ``PRIVATE_MESSAGES_BEFORE_REPLY`` messages (Douyin's rule against spam)."""
from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Forbidden, InvalidInput, NotFound
from creators.models import User

from ..models import MESSAGE_MAX_CHARS, Conversation, PrivateMessage
from ..selectors import messages_left_before_reply


def _pair(a: User, b: User) -> tuple[int, int]:
    return (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)


def conversation_open(*, user: User, other: User) -> Conversation:
    """The conversation between ``user`` and ``other``, created on first use."""
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(_("Log in to send private messages."), field="sender", code="login_required")
    if other is None or not other.is_active:
        raise NotFound(_("No such user."), field="recipient")
    if other.pk == user.pk:
        raise InvalidInput(_("You cannot send a private message to yourself."), field="recipient", code="self")
    if other.is_official:
        raise InvalidInput(_("Official accounts do not take private messages; see their messages in your inbox."),
                           field="recipient", code="official")
    low, high = _pair(user, other)
    conversation = Conversation.objects.filter(user_low_id=low, user_high_id=high).first()
    if conversation is not None:
        return conversation
    try:
        with transaction.atomic():
            return Conversation.objects.create(user_low_id=low, user_high_id=high)
    except IntegrityError:  # opened by a concurrent first message
        return Conversation.objects.get(user_low_id=low, user_high_id=high)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidInput(_("Write a message first."), field="body", code="required")
    if len(body) > MESSAGE_MAX_CHARS:
        raise InvalidInput(_("A message can be at most %(max)d characters.") % {"max": MESSAGE_MAX_CHARS},
                           field="body", code="too_long")
    return body


@transaction.atomic
def private_message_send(*, sender: User, recipient: User, body: str) -> PrivateMessage:
    body = _clean_body(body)
    conversation = conversation_open(user=sender, other=recipient)
    # Sends in one conversation queue here, so the before-reply limit holds under concurrency.
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if messages_left_before_reply(sender=sender, recipient=recipient, conversation=conversation) == 0:
        raise Forbidden(
            _("You can send %(n)d messages until %(name)s replies or follows you.")
            % {"n": settings.PRIVATE_MESSAGES_BEFORE_REPLY, "name": recipient.display_name},
            field="body", code="awaiting_reply",
        )
    message = PrivateMessage.objects.create(conversation=conversation, sender=sender, recipient=recipient, body=body)
    # Answering means having read what came before.
    PrivateMessage.objects.filter(conversation=conversation, recipient_id=sender.pk,
                                  read_at__isnull=True).update(read_at=message.created_at)
    conversation.last_message_at = message.created_at
    conversation.save(update_fields=["last_message_at"])
    return message


def conversation_mark_read(*, user: User, conversation: Conversation) -> int:
    """Mark what ``user`` received in ``conversation`` read; returns how many were unread."""
    if user.pk not in (conversation.user_low_id, conversation.user_high_id):
        raise NotFound(_("No such conversation."), field="conversation")
    return PrivateMessage.objects.filter(conversation=conversation, recipient_id=user.pk,
                                         read_at__isnull=True).update(read_at=timezone.now())
