"""商品橱窗 for the creator: the hub with the showcase's modules (guide: 数据看板、小店学院、达人榜、
规则中心、佣金收入, 消息公告 at the top, 开通小店) and the live entry.

Several modules are served by other rooms; a tile whose page does not exist (yet) is left out,
so the hub never breaks.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from affiliates.selectors import shop_for_owner
from creators.selectors import cart_rights_for

from .. import selectors
from ..templatetags.showcase import optional_reverse
from . import announcements


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    url: str
    badge: int = 0


# (key, label, URL name) in the guide's order; the shop tile is chosen per creator below.
MODULES = [
    ("manage", _("Showcase management"), "showcase:manage"),
    ("dashboard", _("Data dashboard"), "stats:dashboard"),
    ("academy", _("Shop academy"), "notices:academy"),
    ("leaderboard", _("Creator leaderboard"), "stats:leaderboard"),
    ("rules", _("Rules center"), "creators:rules"),
    ("income", _("Commission income"), "commissions:income"),
    ("announcements", _("Announcements"), "notices:announcements"),
    ("live", _("Live"), "showcase:live"),
    ("backoffice", _("Back office"), "engage_backoffice"),  # E后台: comments and private messages
]


def hub_tiles(user, *, unread: int = 0) -> list[Tile]:
    tiles = []
    for key, label, name in MODULES:
        url = optional_reverse(name)
        if url:
            tiles.append(Tile(key, str(label), url, unread if key == "announcements" else 0))
    if shop_for_owner(user) is not None:
        url, label = optional_reverse("affiliates:merchant_home"), _("My shop")
    else:
        url, label = optional_reverse("affiliates:shop_open"), _("Open a shop")
    if url:
        tiles.append(Tile("shop", str(label), url))
    return tiles


@login_required
def center(request):
    user = request.user
    board = announcements.for_user(user)
    showcase = selectors.own_showcase(user)
    return render(request, "showcase/center.html", {
        "tiles": hub_tiles(user, unread=board.unread),
        "pinned": board.pinned, "announcements_url": optional_reverse("notices:announcements"),
        "rights": cart_rights_for(user),
        "item_count": showcase.items.count() if showcase else 0,
        "live": selectors.current_live(user),
    })
