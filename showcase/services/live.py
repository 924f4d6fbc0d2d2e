"""Live sessions and the live cart (直播购物车).

* One live session at a time per creator (a partial unique index backs the check).
* Live products come only from the host's showcase (guide: 商品来源于橱窗), in order, at most
  LIVE_CART_MAX_PRODUCTS.
* Exactly one product can be "now explaining" (正在讲解): ``live_explaining_set`` clears the old
  one and sets the new one in one transaction under the session lock; a partial unique index
  refuses a second explaining row from any other path.
"""
from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotFound
from creators.models import User
from creators.services import require_cart_right
from creators.uploads import validate_image

from .. import cache as vcache
from ..models import LiveProduct, LiveSession, ShowcaseItem
from .common import check_addable, next_position, reorder, swap_with_neighbour

Status = LiveSession.Status


def _changed(session: LiveSession) -> None:
    vcache.bump_on_commit(vcache.LIVE, session.pk)


def _locked_session(host: User, session_id, *, live: bool = True) -> LiveSession:
    session = LiveSession.objects.select_for_update().filter(pk=session_id, host=host).first()
    if session is None:  # someone else's session is as unknown as a missing one
        raise NotFound(_("No such live session."), field="session")
    if live and session.status != Status.LIVE:
        raise Conflict(_("This live session has ended."), field="session", code="ended")
    return session


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("Give the live session a title."), field="title", code="required")
    if len(title) > 40:
        raise InvalidInput(_("The title can be at most 40 characters."), field="title", code="too_long")
    return title


def live_session_start(*, host: User, title: str, cover, product_ids: list[int] | None = None) -> LiveSession:
    """Go live with a title and a cover, optionally with the showcase products picked on the
    start page (in that order)."""
    require_cart_right(host, "live")
    title = _clean_title(title)
    validate_image(cover, field="cover")
    current = LiveSession.objects.filter(host=host, status=Status.LIVE).first()
    if current is not None:
        raise Conflict(_("You are already live with “%(title)s”. End it before starting another.")
                       % {"title": current.title}, field="session", code="already_live")
    session = LiveSession(host=host, title=title)
    session.cover.save(cover.name, cover, save=False)
    try:
        with transaction.atomic():
            session.save()
            for product_id in product_ids or []:
                _add(session, host, product_id)
            _changed(session)
            vcache.bump_on_commit(vcache.SHOWCASE, host.pk)  # the showcase shows "live now"
    except IntegrityError:
        session.cover.storage.delete(session.cover.name)
        raise Conflict(_("You are already live. End that session before starting another."), field="session",
                       code="already_live")
    except Exception:
        session.cover.storage.delete(session.cover.name)
        raise
    return session


@transaction.atomic
def live_session_end(*, host: User, session_id: int) -> LiveSession:
    session = _locked_session(host, session_id)
    LiveProduct.objects.filter(session=session, explaining=True).update(explaining=False, explaining_since=None)
    session.status = Status.ENDED
    session.ended_at = timezone.now()
    session.save(update_fields=["status", "ended_at"])
    _changed(session)
    vcache.bump_on_commit(vcache.SHOWCASE, host.pk)
    return session


def _add(session: LiveSession, host: User, product_id) -> LiveProduct:
    # Lock the showcase row so a concurrent removal from the showcase waits for us (and then
    # takes the product out of this live cart too) or has already removed it (we refuse).
    item = (ShowcaseItem.objects.select_for_update(of=("self",)).filter(showcase__owner=host, product_id=product_id)
            .select_related("product").first())
    if item is None:
        raise InvalidInput(_("Live products come from your showcase: add this product to your showcase first."),
                           field="product_id", code="not_in_showcase")
    check_addable(item.product, field="product_id")
    if LiveProduct.objects.filter(session=session, product_id=product_id).exists():
        raise Conflict(_("This product is already in the live cart."), field="product_id", code="duplicate")
    products = LiveProduct.objects.filter(session=session)
    limit = settings.LIVE_CART_MAX_PRODUCTS
    if products.count() >= limit:
        raise Conflict(_("A live cart holds at most %(max)s products. Remove one before adding another.")
                       % {"max": limit}, field="product_id", code="limit_reached")
    return LiveProduct.objects.create(session=session, product_id=product_id, position=next_position(products))


@transaction.atomic
def live_product_add(*, host: User, session_id: int, product_id: int) -> LiveProduct:
    session = _locked_session(host, session_id)
    require_cart_right(host, "live")
    live_product = _add(session, host, product_id)
    _changed(session)
    return live_product


def _own_live_product(session: LiveSession, product_id) -> LiveProduct:
    live_product = LiveProduct.objects.filter(session=session, product_id=product_id).first()
    if live_product is None:
        raise NotFound(_("This product is not in the live cart."), field="product_id")
    return live_product


@transaction.atomic
def live_product_remove(*, host: User, session_id: int, product_id: int) -> None:
    session = _locked_session(host, session_id)
    _own_live_product(session, product_id).delete()
    _changed(session)


@transaction.atomic
def live_product_move(*, host: User, session_id: int, product_id: int, direction: str) -> bool:
    session = _locked_session(host, session_id)
    live_product = _own_live_product(session, product_id)
    moved = swap_with_neighbour(LiveProduct.objects.filter(session=session), live_product, direction=direction)
    if moved:
        _changed(session)
    return moved


@transaction.atomic
def live_products_reorder(*, host: User, session_id: int, product_ids: list[int]) -> None:
    session = _locked_session(host, session_id)
    links = LiveProduct.objects.filter(session=session)
    if not isinstance(product_ids, list | tuple):
        raise InvalidInput(_("Send the ids in their new order."), field="product_ids", code="required")
    try:
        product_ids = [int(p) for p in product_ids]
    except (TypeError, ValueError):
        raise InvalidInput(_("Ids must be whole numbers."), field="product_ids", code="invalid")
    by_product = dict(links.filter(product_id__in=product_ids).values_list("product_id", "pk"))
    if len(by_product) != len(set(product_ids)):
        raise NotFound(_("Some of these products are not in the live cart."), field="product_ids")
    if reorder(links, [by_product[p] for p in product_ids], field="product_ids"):
        _changed(session)


@transaction.atomic
def live_explaining_set(*, host: User, session_id: int, product_id: int) -> LiveProduct:
    """正在讲解: make this live product the one being explained; the previous one stops, atomically."""
    session = _locked_session(host, session_id)
    live_product = _own_live_product(session, product_id)
    require_cart_right(host, "live")
    if live_product.explaining:
        return live_product
    LiveProduct.objects.filter(session=session, explaining=True).update(explaining=False, explaining_since=None)
    live_product.explaining = True
    live_product.explaining_since = timezone.now()
    try:
        with transaction.atomic():
            live_product.save(update_fields=["explaining", "explaining_since"])
    except IntegrityError:  # only reachable by a writer that skipped the session lock
        raise Conflict(_("Another product is being explained right now; only one can be at a time."),
                       field="product_id", code="already_explaining")
    _changed(session)
    return live_product


@transaction.atomic
def live_explaining_clear(*, host: User, session_id: int) -> None:
    session = _locked_session(host, session_id)
    if LiveProduct.objects.filter(session=session, explaining=True).update(explaining=False, explaining_since=None):
        _changed(session)
