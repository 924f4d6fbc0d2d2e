"""Reads of the orders app."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q

from .models import Click


def click_for_attribution(
    *,
    product_id: int,
    at: datetime.datetime,
    click_id: str = "",
    shopper_id: int | None = None,
    visitor_key: str = "",
) -> Click | None:
    """THE attribution rule: which click a sale of ``product_id`` made at ``at`` belongs to.

    **Last click within the window.** Among the clicks on this product made by this buyer in
    the ``settings.ATTRIBUTION_WINDOW`` before ``at`` (and not after it), the latest one wins;
    its creator, channel and video or live session get the sale. No such click: the sale is
    not attributed (``None``).

    Who "this buyer" is:

    * a native order (小店, 精选联盟) knows the shopper's account and session: pass
      ``shopper_id`` and/or ``visitor_key`` (a click made before logging in still counts);
    * an external order report (JD, Kaola, Vipshop, Suning, Taobao) carries only our click id
      in the source's sub-id field: pass ``click_id``. The buyer is whoever made that click —
      their later click on the same product inside the window still wins (last click).

    A click id that is unknown, for another product, or older than the window attributes
    nothing on its own.
    """
    window_start = at - settings.ATTRIBUTION_WINDOW
    clicks = Click.objects.filter(product_id=product_id, created_at__gt=window_start, created_at__lte=at)
    who = Q()
    if click_id:
        origin = clicks.filter(pk=click_id).values("shopper_id", "visitor_key").first()
        if origin is None:
            return None
        if origin["shopper_id"]:
            who |= Q(shopper_id=origin["shopper_id"])
        if origin["visitor_key"]:
            who |= Q(visitor_key=origin["visitor_key"])
        who |= Q(pk=click_id)
    if shopper_id:
        who |= Q(shopper_id=shopper_id)
    if visitor_key:
        who |= Q(visitor_key=visitor_key)
    if not who:
        return None
    return clicks.filter(who).order_by("-created_at", "-pk").first()
