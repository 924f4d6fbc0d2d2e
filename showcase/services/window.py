"""橱窗管理: add products (pool, search, paste), categories, recommended and new flags, order,
removal — every edit under the creator's showcase lock, every edit bumping the version."""
from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotFound
from creators.models import User
from creators.services import require_cart_right

from .. import cache as vcache
from ..models import LiveProduct, LiveSession, Showcase, ShowcaseCategory, ShowcaseItem
from .common import addable_product, next_position, reorder, swap_with_neighbour

UNSET = object()


def showcase_get_or_create(*, owner: User) -> Showcase:
    try:
        return Showcase.objects.get_or_create(owner=owner)[0]
    except IntegrityError:  # created by a concurrent request between the get and the insert
        return Showcase.objects.get(owner=owner)


def _locked(owner: User) -> Showcase:
    """The creator's showcase row, locked: edits of one window run one after another."""
    showcase = showcase_get_or_create(owner=owner)
    return Showcase.objects.select_for_update().get(pk=showcase.pk)


def _own_item(showcase: Showcase, item_id) -> ShowcaseItem:
    item = ShowcaseItem.objects.filter(showcase=showcase, pk=item_id).select_related("product").first()
    if item is None:  # someone else's item is as unknown as a missing one
        raise NotFound(_("No such product in your showcase."), field="item_id")
    return item


def _own_category(showcase: Showcase, category_id, *, field: str = "category_id") -> ShowcaseCategory:
    category = ShowcaseCategory.objects.filter(showcase=showcase, pk=category_id).first()
    if category is None:
        raise NotFound(_("No such category in your showcase."), field=field)
    return category


def _changed(owner_id: int) -> None:
    vcache.bump_on_commit(vcache.SHOWCASE, owner_id)


# --- products -------------------------------------------------------------------------------
def showcase_item_add(*, owner: User, product_id: int | None = None, text: str = "", category_id: int | None = None,
                      is_recommended: bool = False, is_new: bool = False) -> ShowcaseItem:
    """Add a product from the pool or a search (``product_id``) or a pasted link/淘口令 (``text``)."""
    require_cart_right(owner, "showcase")
    product = addable_product(user=owner, product_id=product_id, text=text)  # may call the source: before locking
    with transaction.atomic():
        showcase = _locked(owner)
        if ShowcaseItem.objects.filter(showcase=showcase, product=product).exists():
            raise Conflict(_("“%(title)s” is already in your showcase.") % {"title": product.title},
                           field="product_id", code="duplicate")
        limit = settings.SHOWCASE_MAX_PRODUCTS
        if ShowcaseItem.objects.filter(showcase=showcase).count() >= limit:
            raise Conflict(_("Your showcase is full: it holds at most %(max)s products. Remove one before adding "
                             "another.") % {"max": limit}, field="product_id", code="limit_reached")
        category = _own_category(showcase, category_id) if category_id else None
        item = ShowcaseItem.objects.create(
            showcase=showcase, product=product, category=category, is_recommended=bool(is_recommended),
            is_new=bool(is_new), position=next_position(ShowcaseItem.objects.filter(showcase=showcase)),
        )
        _changed(owner.pk)
    return item


@transaction.atomic
def showcase_item_update(*, owner: User, item_id: int, category_id=UNSET, is_recommended: bool | None = None,
                         is_new: bool | None = None) -> ShowcaseItem:
    """Set an item's category (None: no category) and its 推荐 / 上新 flags."""
    showcase = _locked(owner)
    item = _own_item(showcase, item_id)
    require_cart_right(owner, "showcase")
    fields = []
    if category_id is not UNSET:
        item.category = _own_category(showcase, category_id) if category_id else None
        fields.append("category")
    if is_recommended is not None:
        item.is_recommended = bool(is_recommended)
        fields.append("is_recommended")
    if is_new is not None:
        item.is_new = bool(is_new)
        fields.append("is_new")
    if fields:
        item.save(update_fields=fields)
        _changed(owner.pk)
    return item


@transaction.atomic
def showcase_item_remove(*, owner: User, item_id: int) -> None:
    """Remove a product; it also leaves the cart of the creator's live session (商品来源于橱窗)."""
    showcase = _locked(owner)
    item = _own_item(showcase, item_id)
    # The item first: a live add that holds its row lock finishes before we go on, and then
    # its new live product is visible to the delete below.
    item.delete()
    live_ids = list(LiveSession.objects.filter(host=owner, status=LiveSession.Status.LIVE).values_list("pk", flat=True))
    if live_ids:
        LiveProduct.objects.filter(session_id__in=live_ids, product_id=item.product_id).delete()
        vcache.bump_on_commit(vcache.LIVE, *live_ids)
    _changed(owner.pk)


@transaction.atomic
def showcase_item_move(*, owner: User, item_id: int, direction: str) -> bool:
    """Move an item one place up or down (the buttons that work without JavaScript)."""
    showcase = _locked(owner)
    item = _own_item(showcase, item_id)
    require_cart_right(owner, "showcase")
    moved = swap_with_neighbour(ShowcaseItem.objects.filter(showcase=showcase), item, direction=direction)
    if moved:
        _changed(owner.pk)
    return moved


@transaction.atomic
def showcase_items_reorder(*, owner: User, item_ids: list[int]) -> None:
    """Put the named items in this order (drag and drop); they keep the slots they occupy."""
    require_cart_right(owner, "showcase")
    showcase = _locked(owner)
    if reorder(ShowcaseItem.objects.filter(showcase=showcase), item_ids, field="item_ids"):
        _changed(owner.pk)


# --- categories -----------------------------------------------------------------------------
def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the category a name."), field="name", code="required")
    if len(name) > 20:
        raise InvalidInput(_("A category name can be at most 20 characters."), field="name", code="too_long")
    return name


def _name_taken(showcase: Showcase, name: str, *, exclude: int | None = None) -> None:
    qs = ShowcaseCategory.objects.filter(showcase=showcase, name=name)
    if exclude:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise Conflict(_("You already have a category called “%(name)s”.") % {"name": name}, field="name",
                       code="duplicate")


@transaction.atomic
def showcase_category_create(*, owner: User, name: str) -> ShowcaseCategory:
    require_cart_right(owner, "showcase")
    name = _clean_name(name)
    showcase = _locked(owner)
    _name_taken(showcase, name)
    limit = settings.SHOWCASE_MAX_CATEGORIES
    if ShowcaseCategory.objects.filter(showcase=showcase).count() >= limit:
        raise Conflict(_("A showcase can have at most %(max)s categories.") % {"max": limit}, field="name",
                       code="limit_reached")
    category = ShowcaseCategory.objects.create(
        showcase=showcase, name=name, position=next_position(ShowcaseCategory.objects.filter(showcase=showcase)))
    _changed(owner.pk)
    return category


@transaction.atomic
def showcase_category_rename(*, owner: User, category_id: int, name: str) -> ShowcaseCategory:
    name = _clean_name(name)
    showcase = _locked(owner)
    category = _own_category(showcase, category_id)
    require_cart_right(owner, "showcase")
    _name_taken(showcase, name, exclude=category.pk)
    category.name = name
    category.save(update_fields=["name"])
    _changed(owner.pk)
    return category


@transaction.atomic
def showcase_category_delete(*, owner: User, category_id: int) -> None:
    """Delete a category; its products stay in the showcase without a category."""
    showcase = _locked(owner)
    category = _own_category(showcase, category_id)
    require_cart_right(owner, "showcase")
    category.delete()
    _changed(owner.pk)


@transaction.atomic
def showcase_category_move(*, owner: User, category_id: int, direction: str) -> bool:
    showcase = _locked(owner)
    category = _own_category(showcase, category_id)
    require_cart_right(owner, "showcase")
    moved = swap_with_neighbour(ShowcaseCategory.objects.filter(showcase=showcase), category, direction=direction)
    if moved:
        _changed(owner.pk)
    return moved


@transaction.atomic
def showcase_categories_reorder(*, owner: User, category_ids: list[int]) -> None:
    require_cart_right(owner, "showcase")
    showcase = _locked(owner)
    if reorder(ShowcaseCategory.objects.filter(showcase=showcase), category_ids, field="category_ids"):
        _changed(owner.pk)
