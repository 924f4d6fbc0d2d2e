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

from core.cache_redis import cache_redis


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
        _gate_forget(stock_by_sku)

    _gate_forget(stock_by_sku)  # now too: this transaction's own later orders read the row again
    transaction.on_commit(apply)


def sku_restocked_on_commit(sku_id: int) -> None:
    """Units of the SKU came back in the current transaction: clear its flag once that commits."""
    def apply():
        _set([sku_id], False)
        _gate_forget([sku_id])

    _gate_forget([sku_id])  # now too: this transaction's own later orders read the row again
    transaction.on_commit(apply)


def _sku_saved(sender, instance, **kwargs) -> None:
    """A SKU saved one by one (admin, scripts): its flag follows its stock after commit."""
    if instance.pk:
        sku_stock_flags_on_commit({instance.pk: instance.stock if instance.is_active else 0})


# --- the stock gate: a Redis counter in front of the SKU row --------------------------------------
# A flash sale puts thousands of buyers on one SKU row. The row (a conditional UPDATE under its
# lock) stays the only truth, but buyers first take their units from a counter in Redis with one
# atomic script: once the counter is spent, the rest are refused at once instead of queueing on
# the row lock only to find it empty. The counter is a copy of the row's stock made at most
# ``STOCK_GATE_SECONDS`` ago: it expires and is read again from the database, so units reserved by
# a worker that died before its order was written come back by themselves, and a Redis restart
# only means one read of the row. Whatever the counter says, the row decides: a counter that
# admits too many costs a refused UPDATE, never an oversold unit.

_RESERVE = """
local left = redis.call('GET', KEYS[1])
if not left then return {-1, 0} end
left = tonumber(left)
if left < tonumber(ARGV[1]) then return {0, left} end
return {1, redis.call('DECRBY', KEYS[1], ARGV[1])}
"""
_GIVE_BACK = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return -1
"""


def _gate():
    """The Redis connection behind the cache, or None where the cache is not Redis (dev, tests on
    SQLite) or the gate is off (``STOCK_GATE_SECONDS`` 0): there the row alone decides."""
    return cache_redis() if settings.STOCK_GATE_SECONDS else None


def _gate_key(sku_id: int) -> str:
    return cache.make_key(f"stockgate:sku:{int(sku_id)}")


def sku_stock_reserve(sku_id: int, quantity: int) -> int | None:
    """Take ``quantity`` units of the SKU from its counter. Returns None when they were taken (or
    there is no counter to ask: the row then decides), or the units the counter has left when
    they are fewer than asked (the buyer is refused without the database). The caller gives taken
    units back with ``sku_stock_give_back`` if its order is not written."""
    redis = _gate()
    if redis is None:
        return None
    key = _gate_key(sku_id)
    try:
        taken, left = redis.eval(_RESERVE, 1, key, quantity)
        if taken == -1:  # no counter (first buyer, expired, Redis restarted): copy the row's stock
            from .models import Sku

            stock = Sku.objects.filter(pk=sku_id).values_list("stock", flat=True).first()
            if stock is None:
                return None  # no such SKU: the order path says so
            redis.set(key, stock, nx=True, ex=settings.STOCK_GATE_SECONDS)
            taken, left = redis.eval(_RESERVE, 1, key, quantity)
        return None if taken != 0 else int(left)
    except Exception:  # Redis away: the row decides alone
        return None


def sku_stock_give_back(sku_id: int, quantity: int) -> None:
    """Units taken from the counter whose order was not written go back to it."""
    redis = _gate()
    if redis is None:
        return
    try:
        redis.eval(_GIVE_BACK, 1, _gate_key(sku_id), quantity)
    except Exception:
        pass


def _gate_forget(sku_ids: Iterable[int]) -> None:
    redis = _gate()
    if redis is None:
        return
    try:
        redis.delete(*[_gate_key(pk) for pk in sku_ids])
    except Exception:
        pass
