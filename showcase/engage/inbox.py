"""Private conversations in the bottom-nav inbox (消息), below the official accounts:
registered with the notices app's hook (notices cannot import this room)."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from notices.hooks import InboxEntry, InboxSection

from . import selectors

INBOX_ROWS = 20


def private_messages_section(request) -> InboxSection | None:
    user = request.user
    if not user.is_authenticated:
        return None
    rows = selectors.conversations_for(user, limit=INBOX_ROWS)
    entries = [
        InboxEntry(name=r.other.display_name, url=reverse("engage_thread", args=[r.other.handle]),
                   preview=(_("You") + ": " if r.last_sender_id == user.pk else "") + r.last_body,
                   unread=r.unread, when=r.last_at, person=r.other, key=r.other.handle)
        for r in rows
    ]
    return InboxSection(key="private", title=_("Private messages"), entries=entries,
                        more_url=reverse("engage_messages"), more_label=_("All"),
                        empty_text=_("No private messages yet. Open a creator's profile and tap “Message”."))
