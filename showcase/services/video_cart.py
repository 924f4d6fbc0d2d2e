"""Video cart (视频购物车) and seeding tags (种草标签) of a creator's own video.

The limits hold under concurrent edits: every change locks the video row first
(``select_for_update``), so counting and inserting happen one request at a time per video.
"""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from affiliates.models import Product
from core.errors import Conflict, InvalidInput, NotFound
from creators.models import User, Video
from creators.services import require_cart_right

from .. import cache as vcache
from ..models import ShowcaseItem, VideoProduct
from .common import addable_product, check_addable, next_position, reorder, swap_with_neighbour

Kind = VideoProduct.Kind


def _kind(kind: str) -> str:
    if kind not in Kind.values:
        raise InvalidInput(_("Choose a cart product or a seeding tag."), field="kind", code="invalid")
    return kind


def _limit(kind: str) -> int:
    return settings.VIDEO_CART_MAX_PRODUCTS if kind == Kind.CART else settings.VIDEO_SEEDING_TAGS_MAX


def _locked_video(owner: User, video_id) -> Video:
    video = Video.objects.select_for_update().filter(pk=video_id, owner=owner).first()
    if video is None:  # someone else's video is as unknown as a missing one
        raise NotFound(_("No such video."), field="video")
    return video


def _from_showcase(owner: User, item_id) -> Product:
    item = ShowcaseItem.objects.filter(pk=item_id, showcase__owner=owner).select_related("product").first()
    if item is None:
        raise NotFound(_("No such product in your showcase."), field="item_id")
    return check_addable(item.product, field="item_id")


def video_product_add(*, owner: User, video_id: int, kind: str = Kind.CART, product_id: int | None = None,
                      item_id: int | None = None, text: str = "") -> VideoProduct:
    """Tag a product on the video as a cart product or a seeding tag. The product comes from
    the pool or a search (``product_id``), the creator's showcase (``item_id``) or a paste (``text``)."""
    original = Video.objects.filter(pk=video_id, owner=owner).values_list("is_original", flat=True).first()
    if original is None:
        raise NotFound(_("No such video."), field="video")
    kind = _kind(kind)
    if not original:  # 挂车视频须为原创: a reposted video carries neither a cart nor seeding tags
        raise InvalidInput(_("Only original videos can carry products: this video is a repost, so it takes "
                             "neither cart products nor seeding tags."), field="video", code="not_original")
    require_cart_right(owner, "video")
    if item_id is not None and not (text and text.strip()):
        product = _from_showcase(owner, item_id)
    else:
        product = addable_product(user=owner, product_id=product_id, text=text)  # may call the source: no lock yet
    with transaction.atomic():
        video = _locked_video(owner, video_id)
        existing = VideoProduct.objects.filter(video=video, product=product).first()
        if existing is not None:
            if existing.kind == kind:
                message = (_("This product is already in the video's cart.") if kind == Kind.CART
                           else _("This product is already a seeding tag on the video."))
            else:
                message = (_("This product is already a seeding tag on the video; remove the tag to put it in "
                             "the cart.") if kind == Kind.CART
                           else _("This product is already in the video's cart; a seeding tag would repeat it."))
            raise Conflict(message, field="product_id", code="duplicate")
        same_kind = VideoProduct.objects.filter(video=video, kind=kind)
        limit = _limit(kind)
        if same_kind.count() >= limit:
            message = (_("A video can carry at most %(max)s products in its cart. Remove one before adding another.")
                       if kind == Kind.CART else
                       _("A video can carry at most %(max)s seeding tags. Remove one before adding another."))
            raise Conflict(message % {"max": limit}, field="product_id", code="limit_reached")
        link = VideoProduct.objects.create(video=video, product=product, kind=kind,
                                           position=next_position(same_kind))
        vcache.bump_on_commit(vcache.VIDEO, video.pk)
    return link


def _own_link(video: Video, product_id) -> VideoProduct:
    link = VideoProduct.objects.filter(video=video, product_id=product_id).first()
    if link is None:
        raise NotFound(_("This product is not on the video."), field="product_id")
    return link


@transaction.atomic
def video_product_remove(*, owner: User, video_id: int, product_id: int) -> None:
    video = _locked_video(owner, video_id)
    _own_link(video, product_id).delete()
    vcache.bump_on_commit(vcache.VIDEO, video.pk)


@transaction.atomic
def video_product_move(*, owner: User, video_id: int, product_id: int, direction: str) -> bool:
    video = _locked_video(owner, video_id)
    link = _own_link(video, product_id)
    require_cart_right(owner, "video")
    moved = swap_with_neighbour(VideoProduct.objects.filter(video=video, kind=link.kind), link, direction=direction)
    if moved:
        vcache.bump_on_commit(vcache.VIDEO, video.pk)
    return moved


@transaction.atomic
def video_products_reorder(*, owner: User, video_id: int, kind: str, product_ids: list[int]) -> None:
    """Put the video's cart products (or seeding tags) in this order."""
    video = _locked_video(owner, video_id)
    kind = _kind(kind)
    require_cart_right(owner, "video")
    links = VideoProduct.objects.filter(video=video, kind=kind)
    if not isinstance(product_ids, list | tuple):
        raise InvalidInput(_("Send the ids in their new order."), field="product_ids", code="required")
    try:
        product_ids = [int(p) for p in product_ids]
    except (TypeError, ValueError):
        raise InvalidInput(_("Ids must be whole numbers."), field="product_ids", code="invalid")
    by_product = dict(links.filter(product_id__in=product_ids).values_list("product_id", "pk"))
    if len(by_product) != len(set(product_ids)):
        raise NotFound(_("Some of these products are not on the video."), field="product_ids")
    if reorder(links, [by_product[p] for p in product_ids], field="product_ids"):
        vcache.bump_on_commit(vcache.VIDEO, video.pk)
