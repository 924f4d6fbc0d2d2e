"""The hub's announcements (消息公告, guide: 置顶位置和右上角的公告中心): the pinned ones at the top and
the unread count on the announcement center's entry, read from the notices room."""
from __future__ import annotations

from dataclasses import dataclass, field

from notices import selectors as notices_selectors

from ..templatetags.showcase import optional_reverse


@dataclass(frozen=True)
class Pinned:
    title: str
    url: str
    is_read: bool


@dataclass(frozen=True)
class Board:
    pinned: list[Pinned] = field(default_factory=list)
    unread: int = 0


def for_user(user) -> Board:
    pinned = [Pinned(title=a.title, url=optional_reverse("notices:announcement", a.pk), is_read=bool(a.is_read))
              for a in notices_selectors.pinned_announcements_for(user)]
    return Board(pinned=pinned, unread=notices_selectors.announcement_unread_count(user))
