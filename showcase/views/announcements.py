"""The hub's announcements (消息公告): pinned ones at the top and the unread count, read from the
notices room, which owns announcements."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Board:
    pinned: list = field(default_factory=list)
    unread: int = 0


def for_user(user) -> Board:
    from notices import selectors as notices_selectors

    pinned = getattr(notices_selectors, "announcements_pinned", None)
    unread = getattr(notices_selectors, "announcements_unread_count", None)
    if pinned is None or unread is None:
        return Board()
    return Board(pinned=list(pinned(user=user)), unread=unread(user=user))
