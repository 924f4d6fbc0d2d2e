"""A governance penalty takes a product off a creator's showcase, video carts and live carts
at once (issue 12 §3). Called by the receiver of ``creators.signals.penalty_products_removed``;
no right is required (the right may be suspended by the same penalty)."""
from __future__ import annotations

from django.db import transaction

from .. import cache as vcache
from ..models import LiveProduct, ShowcaseItem, VideoProduct


@transaction.atomic
def products_take_down(*, creator_id: int, product_id: int | None = None, video_id: int | None = None) -> int:
    """Remove ``product_id`` from everything ``creator_id`` sells it from, or (``video_id``)
    every cart product of that video of theirs. Returns how many placements went."""
    removed = 0
    if product_id is not None:
        items = ShowcaseItem.objects.filter(showcase__owner_id=creator_id, product_id=product_id)
        removed += items.delete()[0]
        links = VideoProduct.objects.filter(video__owner_id=creator_id, product_id=product_id)
        video_ids = list(links.values_list("video_id", flat=True))
        removed += links.delete()[0]
        lives = LiveProduct.objects.filter(session__host_id=creator_id, product_id=product_id)
        live_ids = list(lives.values_list("session_id", flat=True))
        removed += lives.delete()[0]
    else:
        links = VideoProduct.objects.filter(video_id=video_id, video__owner_id=creator_id,
                                            kind=VideoProduct.Kind.CART)
        video_ids, live_ids = [video_id], []
        removed += links.delete()[0]
    vcache.bump_on_commit(vcache.SHOWCASE, creator_id)
    vcache.bump_on_commit(vcache.VIDEO, *video_ids)
    vcache.bump_on_commit(vcache.LIVE, *live_ids)
    return removed
