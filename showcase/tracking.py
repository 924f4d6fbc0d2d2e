"""How a shopper came to a product — channel, creator, video or live session — carried from
page to page in four short query parameters, and recorded as stats events.

``?ch=<channel>&c=<creator id>&v=<video id>`` (or ``&l=<live session id>``) rides on every link
from a showcase, a video's product list, a live room, a search result or the comment entry to
the seeding page, and from there to the buy button (``orders:buy``), where the click is stored.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import InvalidInput

from .channels import Channel

logger = logging.getLogger(__name__)

PARAMS = {"channel": "ch", "creator_id": "c", "video_id": "v", "live_id": "l"}


@dataclass(frozen=True)
class Via:
    channel: str = ""  # "" = reached directly (a shared link), not through one of the channels
    creator_id: int | None = None
    video_id: int | None = None
    live_id: int | None = None

    def query(self) -> str:
        """``ch=video&c=12&v=34`` (empty parts left out)."""
        pairs = [(param, getattr(self, name)) for name, param in PARAMS.items()]
        return urlencode([(k, v) for k, v in pairs if v not in (None, "")])

    def suffix(self) -> str:
        query = self.query()
        return f"?{query}" if query else ""


def _positive_int(raw):
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def via_from_params(params) -> Via:
    """Lenient (pages): values that do not parse are dropped, never an error for a shopper."""
    channel = params.get("ch", "")
    return Via(
        channel=channel if channel in Channel.values else "",
        creator_id=_positive_int(params.get("c")),
        video_id=_positive_int(params.get("v")),
        live_id=_positive_int(params.get("l")),
    )


def via_strict(params) -> Via:
    """Strict (the buy link): a value that is there but malformed is a 400 naming it."""
    channel = params.get("ch", "")
    if channel and channel not in Channel.values:
        raise InvalidInput(_("Unknown channel: use one of %(channels)s.") % {"channels": ", ".join(Channel.values)},
                           field="ch", code="invalid")
    values = {}
    for name, param in (("creator_id", "c"), ("video_id", "v"), ("live_id", "l")):
        raw = params.get(param, "")
        if raw in ("", None):
            values[name] = None
            continue
        value = _positive_int(raw)
        if value is None:
            raise InvalidInput(_("%(param)s must be a positive whole number.") % {"param": param}, field=param,
                               code="invalid")
        values[name] = value
    if values["video_id"] and values["live_id"]:
        raise InvalidInput(_("A click comes from a video or a live session, not both."), field="l", code="invalid")
    return Via(channel=channel, **values)


def visitor_id(request) -> str:
    """Who repeats an event, for the stats' repeat filter: the account, the session, or (for
    a visitor with neither) a hash of address and browser."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if key:
        return "s" + hashlib.blake2b(key.encode(), digest_size=8).hexdigest()
    raw = f"{request.META.get('REMOTE_ADDR', '')}|{request.META.get('HTTP_USER_AGENT', '')[:200]}"
    return "a" + hashlib.blake2b(raw.encode(), digest_size=8).hexdigest()


def record(kind: str, via: Via, *, product_id: int | None = None, visitor: str = "") -> None:
    """Count a view, impression or click in the stats (one cache operation, no query).
    A visit without a channel (a shared link opened directly) is not a channel's event."""
    if not via.channel:
        return
    from showcase.stats.services import event_record

    try:
        event_record(kind=kind, channel=via.channel, creator_id=via.creator_id, product_id=product_id,
                     video_id=via.video_id, live_id=via.live_id, visitor=visitor)
    except ValueError as exc:  # our own bug: never fail a shopper's page for a statistic
        logger.error("stats event refused: %s", exc)
