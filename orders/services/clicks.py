"""Every write of the orders app. The click (attribution starts here); checkout, payment and the
order lifecycle follow in the orders issue."""
from __future__ import annotations

import secrets
import string

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from affiliates.models import Product
from core.errors import NotFound
from creators.models import User
from showcase.channels import Channel
from showcase.models import LiveProduct, ShowcaseItem, VideoProduct
from showcase.tracking import Via, record

from ..models import Click

CLICK_ID_ALPHABET = string.ascii_lowercase + string.digits
CLICK_ID_LENGTH = 12  # 36^12 ≈ 4.7e18: unguessable, and short enough for every source's sub-id field


def _new_click_id() -> str:
    return "".join(secrets.choice(CLICK_ID_ALPHABET) for _ in range(CLICK_ID_LENGTH))


def _carried(via: Via, product: Product) -> Via:
    """The part of ``via`` that holds: the creator must carry the product in that channel's
    content (their showcase, the video, the live session). Otherwise the click is kept without
    a creator, so a hand-made link cannot claim a sale for someone who did not promote it."""
    channel = via.channel
    if not via.creator_id or channel in ("", Channel.SEARCH):
        return Via(channel=channel)
    if channel == Channel.SHOWCASE:
        ok = ShowcaseItem.objects.filter(showcase__owner_id=via.creator_id, product=product).exists()
        return Via(channel=channel, creator_id=via.creator_id) if ok else Via(channel=channel)
    if channel in (Channel.VIDEO, Channel.COMMENT):
        ok = via.video_id and VideoProduct.objects.filter(
            video_id=via.video_id, video__owner_id=via.creator_id, product=product).exists()
        return Via(channel=channel, creator_id=via.creator_id, video_id=via.video_id) if ok else Via(channel=channel)
    if channel == Channel.LIVE:
        ok = via.live_id and LiveProduct.objects.filter(
            session_id=via.live_id, session__host_id=via.creator_id, product=product).exists()
        return Via(channel=channel, creator_id=via.creator_id, live_id=via.live_id) if ok else Via(channel=channel)
    return Via(channel=channel)


def click_create(*, product_id: int, via: Via, shopper: User | None = None, visitor_key: str = "",
                 user_agent: str = "") -> Click:
    """Store one press of a buy button and count it in the stats; the id is short and random.

    ``via`` is where the shopper came from (``showcase.tracking.via_strict`` parses it from the
    link); a creator who does not carry the product there is not credited.
    """
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("No such product."), field="product_id")
    via = _carried(via, product)
    shopper = shopper if shopper is not None and shopper.is_authenticated else None
    fields = dict(
        product=product, channel=via.channel, creator_id=via.creator_id, video_id=via.video_id,
        live_id=via.live_id, commission_rate_bp=product.commission_rate_bp, shopper=shopper, visitor_key=(visitor_key or "")[:32], user_agent=(user_agent or "")[:300],
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                click = Click.objects.create(id=_new_click_id(), **fields)
            break
        except IntegrityError:  # the same random id twice: astronomically rare, try another
            continue
    else:  # pragma: no cover
        raise RuntimeError("could not find a free click id")
    visitor = f"u{shopper.pk}" if shopper else visitor_key
    transaction.on_commit(lambda: record("click", via, product_id=product.pk, visitor=visitor))
    return click


def click_target_set(*, click: Click, url: str) -> Click:
    """Remember where the click sent the shopper (the source's promotion link or our checkout)."""
    click.target_url = url[:2000]
    click.save(update_fields=["target_url"])
    return click

