"""What the three carts share: finding the product a creator asked for, and the right check."""
from __future__ import annotations

from django.utils.translation import gettext as _

from affiliates import gate
from affiliates.models import Product
from affiliates.resolver import product_resolve
from affiliates.selectors import product_visible
from core.errors import InvalidInput, NotFound
from creators.models import User


def addable_product(*, user: User, product_id: int | None = None, text: str = "") -> Product:
    """The product named by ``product_id`` (from the pool or a search) or by pasted ``text``
    (a link or 淘口令, resolved through the source), if a creator may put it in a cart.

    Resolving a paste talks to the source: call this before taking any lock.
    """
    if text and text.strip():
        return product_resolve(text=text, user=user)
    if product_id is None:
        raise InvalidInput(_("Choose a product or paste a link or 淘口令."), field="product_id", code="required")
    product = product_visible(pk=product_id, user=user)
    if product is None:
        raise NotFound(_("No such product."), field="product_id")
    return check_addable(product, field="product_id")


def check_addable(product: Product, *, field: str) -> Product:
    if not product.promotable:
        raise InvalidInput(_("This product is not open for promotion, so it cannot be added."), field=field,
                           code="not_promotable")
    if not product.gate_passed:
        raise InvalidInput(gate.refusal_message(product.gate_failures), field=field, code="quality_gate")
    if not product.available:
        raise InvalidInput(_("This product is sold out or no longer on sale."), field=field, code="unavailable")
    return product


def next_position(queryset) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


def reorder(queryset, ids: list[int], *, field: str) -> list[int]:
    """Give the rows ``ids`` (a subset of ``queryset``) the positions they hold now, in the new
    order; rows not named keep theirs. Refuses unknown or repeated ids. Returns the ids moved."""
    if not isinstance(ids, list | tuple) or not ids:
        raise InvalidInput(_("Send the ids in their new order."), field=field, code="required")
    try:
        ids = [int(i) for i in ids]
    except (TypeError, ValueError):
        raise InvalidInput(_("Ids must be whole numbers."), field=field, code="invalid")
    if len(set(ids)) != len(ids):
        raise InvalidInput(_("An id appears twice."), field=field, code="duplicate")
    if any(not 0 < i < 2 ** 63 for i in ids):  # no row has such an id (and the database cannot hold it)
        raise NotFound(_("Some of these are not yours or no longer exist."), field=field)
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
    if len(rows) != len(ids):
        raise NotFound(_("Some of these are not yours or no longer exist."), field=field)
    slots = sorted(row.position for row in rows.values())
    changed = []
    for pk, position in zip(ids, slots, strict=True):
        row = rows[pk]
        if row.position != position:
            row.position = position
            changed.append(row)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["position"])
    return [row.pk for row in changed]


def swap_with_neighbour(queryset, row, *, direction: str, field: str = "direction") -> bool:
    """Move ``row`` one place up or down among ``queryset``; positions are renumbered 0..n-1."""
    if direction not in ("up", "down"):
        raise InvalidInput(_("Move up or down."), field=field, code="invalid")
    rows = list(queryset.order_by("position", "id"))
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(rows):
        return False
    rows[index], rows[target] = rows[target], rows[index]
    changed = []
    for position, r in enumerate(rows):
        if r.position != position:
            r.position = position
            changed.append(r)
    type(row).objects.bulk_update(changed, ["position"])
    return True
