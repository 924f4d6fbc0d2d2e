"""Sold-out flags: "this SKU has no stock" kept in the cache (Redis in production), so a flash
sale's thousands of late buyers are refused without a database query.

The database stays the truth. The flag is set after the commit that took a SKU's last unit and
cleared after any commit that puts stock back (an unpaid order closing, a cancellation, a refund
before shipping, a merchant's restock), and it expires after ``SOLD_OUT_FLAG_SECONDS``. A flag
that is lost (a Redis restart, eviction) only sends buyers down the normal path, which reads the
stock under the row lock; a flag can never make a buyer win a unit that is not there.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction


def _key(sku_id: int) -> str:
    return f"soldout:sku:{int(sku_id)}"


def sku_is_sold_out(sku_id: int) -> bool:
    """True only while the flag says the SKU's stock is 0 (one cache read, no database)."""
    try:
        return bool(cache.get(_key(sku_id)))
    except Exception:  # the cache is down: say nothing, the database path decides
        return False


def _set(sku_ids: Iterable[int], sold_out: bool) -> None:
    keys = [_key(pk) for pk in sku_ids]
    if not keys:
        return
    try:
        if sold_out:
            cache.set_many(dict.fromkeys(keys, 1), timeout=settings.SOLD_OUT_FLAG_SECONDS)
        else:
            cache.delete_many(keys)
    except Exception:  # never fail a committed change because the cache is away
        pass


def sku_sold_out_mark(sku_ids: Iterable[int]) -> None:
    """Flag the SKUs, then read their stock and take the flag back from any that has stock again.

    Set first, read second: a restock that commits after the read clears the flag after its own
    commit (so after ours), and one that committed before the read is seen by it, so a flag is
    never left on a SKU that has stock."""
    from .models import Sku

    ids = [int(pk) for pk in sku_ids]
    if not ids:
        return
    _set(ids, True)
    _set(Sku.objects.filter(pk__in=ids, stock__gt=0, is_active=True).values_list("pk", flat=True), False)


def sku_sold_out_mark_on_commit(sku_id: int) -> None:
    """The SKU's last unit is gone in the current transaction: flag it once that commits."""
    transaction.on_commit(lambda: sku_sold_out_mark([sku_id]))


def sku_stock_flags_on_commit(stock_by_sku: dict[int, int]) -> None:
    """After commit, flag the SKUs whose stock is now 0 and clear the flag of the others."""
    empty = [pk for pk, stock in stock_by_sku.items() if stock <= 0]
    back = [pk for pk, stock in stock_by_sku.items() if stock > 0]

    def apply():
        _set(back, False)
        sku_sold_out_mark(empty)

    transaction.on_commit(apply)


def sku_restocked_on_commit(sku_id: int) -> None:
    """Units of the SKU came back in the current transaction: clear its flag once that commits."""
    transaction.on_commit(lambda: _set([sku_id], False))


def _sku_saved(sender, instance, **kwargs) -> None:
    """A SKU saved one by one (admin, scripts): its flag follows its stock after commit."""
    if instance.pk:
        sku_stock_flags_on_commit({instance.pk: instance.stock if instance.is_active else 0})
