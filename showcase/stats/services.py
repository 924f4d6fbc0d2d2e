"""Recording what shoppers do (event_record), attributed sales (sale_record/sale_refund)
and turning the buffered counters into ``DailyStat`` rows (stats_flush).

``event_record`` is called on every page view: it validates its input and queues the event
for the buffer (``buffer.py``: sent to Redis in batches by a background thread, no round trip
in the request); it never writes to the database.
"""
from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, InvalidInput, NotFound
from showcase.channels import Channel

from .buffer import get_buffer
from .models import DailyStat, FlushBatch, SaleRecord

logger = logging.getLogger(__name__)

KINDS = ("impression", "view", "click")
_KIND_COLUMN = {"impression": "impressions", "view": "views", "click": "clicks"}
_CHANNELS = frozenset(Channel.values)
COUNTER_COLUMNS = ("impressions", "views", "clicks", "orders", "units", "gmv_fen", "commission_fen")
# A repeat of the same event by the same visitor within this window counts once (reloads,
# double taps, scripted refreshes). 0 turns it off.
REPEAT_WINDOW_SECONDS = getattr(settings, "STATS_REPEAT_WINDOW_SECONDS", 10)
UPSERT_CHUNK = 500


def _check_id(name: str, value, *, required: bool = False) -> int | None:
    if value is None:
        if required:
            raise ValueError(f"{name} is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive integer or None, got {value!r}")
    return value


def _check_channel(channel) -> str:
    value = getattr(channel, "value", channel)
    if value not in _CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; expected one of {sorted(_CHANNELS)}")
    return value


def event_record(
    *,
    kind: str,
    channel: str,
    creator_id: int | None,
    product_id: int | None = None,
    video_id: int | None = None,
    live_id: int | None = None,
    visitor: str = "",
    at: datetime.datetime | None = None,
) -> None:
    """Count one impression, view or click of ``channel`` for ``creator_id`` (and product).

    Unknown kind or channel, or ids that are not positive integers, raise ``ValueError``.
    With a ``visitor`` (session key, user id, …) the same visitor repeating the same event
    on the same target within ``STATS_REPEAT_WINDOW_SECONDS`` counts once. ``at`` dates an
    event that happened earlier (imports, the demo history); pages leave it out.
    """
    if kind not in _KIND_COLUMN:
        raise ValueError(f"unknown event kind {kind!r}; expected one of {list(KINDS)}")
    channel = _check_channel(channel)
    creator_id = _check_id("creator_id", creator_id)
    product_id = _check_id("product_id", product_id)
    video_id = _check_id("video_id", video_id)
    live_id = _check_id("live_id", live_id)
    if not isinstance(visitor, str):
        raise ValueError("visitor must be a string")
    if at is not None and (not isinstance(at, datetime.datetime) or timezone.is_naive(at)):
        raise ValueError("at must be an aware datetime")
    seen_key = None
    if visitor and REPEAT_WINDOW_SECONDS > 0:
        digest = hashlib.blake2b(
            f"{kind}|{channel}|{creator_id}|{product_id}|{video_id}|{live_id}|{visitor}".encode(), digest_size=12,
        ).hexdigest()
        seen_key = f"stats:seen:{digest}"
    get_buffer().record(_field(kind, channel, creator_id, product_id, at), seen_key=seen_key,
                        window=REPEAT_WINDOW_SECONDS)


def _field(kind: str, channel: str, creator_id: int | None, product_id: int | None, at) -> str:
    day = timezone.localdate(at) if at is not None else timezone.localdate()
    return f"{day:%Y%m%d}|{creator_id or ''}|{channel}|{product_id or ''}|{kind}"


def event_field(*, kind: str, channel: str, creator_id: int | None, product_id: int | None = None,
                at: datetime.datetime) -> str:
    """The buffer field of one event (checked like :func:`event_record`), for :func:`stats_batch_apply`."""
    if kind not in _KIND_COLUMN:
        raise ValueError(f"unknown event kind {kind!r}; expected one of {list(KINDS)}")
    if not isinstance(at, datetime.datetime) or timezone.is_naive(at):
        raise ValueError("at must be an aware datetime")
    return _field(kind, _check_channel(channel), _check_id("creator_id", creator_id),
                  _check_id("product_id", product_id), at)


# --- flushing ------------------------------------------------------------------------------


@dataclass
class FlushResult:
    batches: int = 0
    rows: int = 0
    events: int = 0
    skipped: bool = False  # another flush (or the demo seeding) held the flush lock


# One flush at a time on PostgreSQL: a transaction-level advisory lock. The scheduled flush only
# tries it and leaves the batches to the holder; the demo seeding waits for it and keeps it until
# its transaction commits, so no flush holds DailyStat rows that the seeding wants, or waits on
# batch ids the seeding inserted (the deadlock on stats_flushbatch_batch_id_key).
FLUSH_LOCK_KEY = 0x5354_4154  # "STAT"


def stats_flush_lock(*, wait: bool = True) -> bool:
    """Take the flush lock for the current transaction (call inside ``transaction.atomic``).
    Without ``wait`` answers False at once when someone else holds it. Always True off PostgreSQL
    (SQLite writes one transaction at a time anyway)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FLUSH_LOCK_KEY])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [FLUSH_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _parse_field(field: str):
    day_s, creator_s, channel, product_s, kind = field.split("|")
    day = datetime.date(int(day_s[:4]), int(day_s[4:6]), int(day_s[6:8]))
    return day, (int(creator_s) if creator_s else None), channel, (int(product_s) if product_s else None), kind


def _upsert(rows: dict[tuple, dict[str, int]]) -> int:
    """Add ``rows`` {(day, creator_id, channel, product_id): {column: amount}} to DailyStat
    with INSERT … ON CONFLICT DO UPDATE SET column = column + excluded.column."""
    if not rows:
        return 0
    table = connection.ops.quote_name(DailyStat._meta.db_table)
    q = connection.ops.quote_name
    key_cols = ["day", "creator_id", "channel", "product_id"]
    cols = key_cols + list(COUNTER_COLUMNS)
    conflict = f'{q("day")}, COALESCE({q("creator_id")}, 0), {q("channel")}, COALESCE({q("product_id")}, 0)'
    updates = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in COUNTER_COLUMNS)
    # Always the same row order, so two writers never lock the same rows in opposite orders.
    items = sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2], kv[0][3] or 0))
    with connection.cursor() as cursor:
        for start in range(0, len(items), UPSERT_CHUNK):
            chunk = items[start:start + UPSERT_CHUNK]
            placeholders = ", ".join("(" + ", ".join(["%s"] * len(cols)) + ")" for _ in chunk)
            params: list = []
            for (day, creator_id, channel, product_id), counts in chunk:
                params += [connection.ops.adapt_datefield_value(day), creator_id, channel, product_id]
                params += [int(counts.get(c, 0)) for c in COUNTER_COLUMNS]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(q(c) for c in cols)}) VALUES {placeholders} "
                f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}",
                params,
            )
    return len(items)


def _apply_batch(batch_id: str, data: dict[str, int]) -> tuple[int, int]:
    """Add one buffer batch to DailyStat, at most once. Returns (rows, events)."""
    rows: dict[tuple, dict[str, int]] = {}
    events = 0
    for field, amount in data.items():
        try:
            day, creator_id, channel, product_id, kind = _parse_field(field)
        except (ValueError, IndexError):
            logger.error("stats: unreadable buffer field %r (%s) in batch %s", field, amount, batch_id)
            continue
        key = (day, creator_id, channel, product_id)
        bucket = rows.setdefault(key, {})
        column = _KIND_COLUMN[kind]
        bucket[column] = bucket.get(column, 0) + amount
        events += amount
    # Ids that no longer exist (a deleted product or account) would break the foreign key
    # and with it the whole batch: their events stay counted on the channel / platform row.
    creator_ids = {k[1] for k in rows if k[1]}
    product_ids = {k[3] for k in rows if k[3]}
    known_creators = set(get_user_model().objects.filter(pk__in=creator_ids).values_list("pk", flat=True))
    from affiliates.models import Product

    known_products = set(Product.objects.filter(pk__in=product_ids).values_list("pk", flat=True))
    merged: dict[tuple, dict[str, int]] = {}
    for (day, creator_id, channel, product_id), counts in rows.items():
        if creator_id and creator_id not in known_creators:
            logger.warning("stats: events for unknown creator %s counted without a creator", creator_id)
            creator_id = None
        if product_id and product_id not in known_products:
            logger.warning("stats: events for unknown product %s counted on the channel row", product_id)
            product_id = None
        bucket = merged.setdefault((day, creator_id, channel, product_id), {})
        for column, amount in counts.items():
            bucket[column] = bucket.get(column, 0) + amount
    with transaction.atomic():
        if not _claim(batch_id, rows=len(merged), events=events):
            return 0, 0  # this batch was already added
        _upsert(merged)
    return len(merged), events


def _claim(batch_id: str, *, rows: int, events: int) -> bool:
    """Record ``batch_id`` as added (INSERT … ON CONFLICT DO NOTHING): False when it already was."""
    q = connection.ops.quote_name
    table = q(FlushBatch._meta.db_table)
    cols = ", ".join(q(c) for c in ("batch_id", "rows", "events", "flushed_at"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({cols}) VALUES (%s, %s, %s, %s) ON CONFLICT ({q('batch_id')}) DO NOTHING",
            [batch_id, rows, events, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        return cursor.rowcount == 1


def stats_batch_apply(*, batch_id: str, counts: dict[str, int]) -> tuple[int, int]:
    """Add counters {event_field: amount} to DailyStat exactly once per ``batch_id`` (a rerun of
    the same import, e.g. the demo history, adds nothing). Returns (rows, events) added."""
    if not batch_id or len(batch_id) > 64:
        raise ValueError("batch_id must be 1 to 64 characters")
    return _apply_batch(batch_id, dict(counts))


def stats_flush() -> FlushResult:
    """Move the buffered counters into DailyStat. Safe to run concurrently and to retry: one flush
    at a time holds the flush lock (the others return ``skipped`` and leave their batch pending for
    it or the next run), each batch is claimed once, and a batch leaves the buffer only after the
    transaction that added it commits."""
    buffer = get_buffer()
    buffer.take()
    result = FlushResult()
    with transaction.atomic():
        if not stats_flush_lock(wait=False):
            result.skipped = True
            return result
        for batch_id in buffer.pending():
            data = buffer.read(batch_id)
            rows, events = _apply_batch(batch_id, data) if data else (0, 0)
            transaction.on_commit(lambda batch_id=batch_id: buffer.discard(batch_id))
            result.batches += 1
            result.rows += rows
            result.events += events
    return result


def flush_batches_prune(*, older_than: datetime.timedelta = datetime.timedelta(days=2)) -> int:
    """Forget batch ids long since flushed (a racing flush only needs them for seconds)."""
    deleted, _ = FlushBatch.objects.filter(flushed_at__lt=timezone.now() - older_than).delete()
    return deleted


# --- attributed sales --------------------------------------------------------------------


def _check_money(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(_("%(field)s must be a whole number of fen, zero or more.") % {"field": name}, field=name)
    return value


@transaction.atomic
def sale_record(
    *,
    creator_id: int,
    channel: str,
    product_id: int | None,
    order_ref: str,
    quantity: int,
    gmv_fen: int,
    commission_fen: int,
    paid_at: datetime.datetime,
) -> SaleRecord:
    """Count a paid order for the creator's dashboard and the leaderboard, once per
    ``order_ref``: recording the same order again returns the first record unchanged
    (a different amount for the same reference is a 409)."""
    try:
        channel = _check_channel(channel)
    except ValueError:
        raise InvalidInput(_("Unknown channel."), field="channel") from None
    if not isinstance(order_ref, str) or not order_ref.strip() or len(order_ref) > 64:
        raise InvalidInput(_("An order reference of 1 to 64 characters is required."), field="order_ref")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise InvalidInput(_("Quantity must be at least 1."), field="quantity")
    gmv_fen = _check_money("gmv_fen", gmv_fen)
    commission_fen = _check_money("commission_fen", commission_fen)
    if commission_fen > gmv_fen:
        raise InvalidInput(_("The commission cannot exceed the order amount."), field="commission_fen")
    if not isinstance(paid_at, datetime.datetime) or timezone.is_naive(paid_at):
        raise InvalidInput(_("The payment time must be an aware date and time."), field="paid_at")
    try:
        creator_id = _check_id("creator_id", creator_id, required=True)
        product_id = _check_id("product_id", product_id)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="creator_id" if "creator" in str(exc) else "product_id") from None
    if not get_user_model().objects.filter(pk=creator_id).exists():
        raise NotFound(_("No such creator."), field="creator_id")
    from affiliates.models import Product

    if product_id is not None and not Product.objects.filter(pk=product_id).exists():
        raise NotFound(_("No such product."), field="product_id")

    day = timezone.localdate(paid_at)
    try:
        with transaction.atomic():
            record = SaleRecord.objects.create(
                order_ref=order_ref, creator_id=creator_id, channel=channel, product_id=product_id,
                quantity=quantity, gmv_fen=gmv_fen, commission_fen=commission_fen, paid_at=paid_at, day=day,
            )
    except IntegrityError:
        record = SaleRecord.objects.get(order_ref=order_ref)
        same = (record.creator_id, record.channel, record.product_id, record.quantity, record.gmv_fen,
                record.commission_fen) == (creator_id, channel, product_id, quantity, gmv_fen, commission_fen)
        if not same:
            raise Conflict(_("This order was already recorded with different details."), field="order_ref") from None
        return record
    _upsert({(day, creator_id, channel, product_id): {
        "orders": 1, "units": quantity, "gmv_fen": gmv_fen, "commission_fen": commission_fen,
    }})
    return record


@transaction.atomic
def sale_refund(*, order_ref: str, refunded_at: datetime.datetime | None = None) -> SaleRecord:
    """Take a refunded order back out of the counts of the day it was paid. Refunding the
    same order again changes nothing; an order never recorded is a 404."""
    record = SaleRecord.objects.select_for_update().filter(order_ref=order_ref).first()
    if record is None:
        raise NotFound(_("No attributed sale with this order reference."), field="order_ref")
    if record.refunded_at is not None:
        return record
    record.refunded_at = refunded_at or timezone.now()
    record.save(update_fields=["refunded_at"])
    _upsert({(record.day, record.creator_id, record.channel, record.product_id): {
        "orders": -1, "units": -record.quantity, "gmv_fen": -record.gmv_fen,
        "commission_fen": -record.commission_fen,
    }})
    return record


def _share(total: int, part: int, whole: int) -> int:
    """``total`` × part/whole rounded down: differences of cumulative shares add up exactly."""
    return total * part // whole if whole else 0


def commission_add(*, creator_id: int, channel: str, product_id: int | None, paid_at: datetime.datetime,
                   commission_fen: int) -> None:
    """Add a commission change (may be negative) to the day the sale was paid: the dashboard's and
    the leaderboard's commission is the sum of the commission lines' changes."""
    if not commission_fen:
        return
    try:
        channel = _check_channel(channel)
    except ValueError:
        channel = ""
    _upsert({(timezone.localdate(paid_at), creator_id, channel, product_id): {"commission_fen": int(commission_fen)}})


@transaction.atomic
def sale_refund_part(*, order_ref: str, amount_fen: int, refunded_total_fen: int, paid_total_fen: int,
                     units: int = 0, refunded_at: datetime.datetime | None = None) -> SaleRecord | None:
    """A refund of ``amount_fen`` of an attributed sale (``refunded_total_fen`` cumulative, this
    one included): GMV and commission go down pro rata, ``units`` come off the unit count, and
    the refund that reaches ``paid_total_fen`` takes the order out of the counts. Returns None
    for an order never recorded (not attributed)."""
    record = SaleRecord.objects.select_for_update().filter(order_ref=order_ref).first()
    if record is None or record.refunded_at is not None:
        return record
    paid = max(paid_total_fen, 1)
    after = min(refunded_total_fen, paid)
    before = max(min(refunded_total_fen - amount_fen, paid), 0)
    full = refunded_total_fen >= paid_total_fen
    gmv = _share(record.gmv_fen, after, paid) - _share(record.gmv_fen, before, paid)
    commission = _share(record.commission_fen, after, paid) - _share(record.commission_fen, before, paid)
    if full:
        record.refunded_at = refunded_at or timezone.now()
        record.save(update_fields=["refunded_at"])
    _upsert({(record.day, record.creator_id, record.channel, record.product_id): {
        "orders": -1 if full else 0, "units": -min(max(units, 0), record.quantity), "gmv_fen": -gmv,
        "commission_fen": -commission,
    }})
    return record


# --- leaderboard (达人榜) ---------------------------------------------------------------------

LEADERBOARD_SIZE = getattr(settings, "STATS_LEADERBOARD_SIZE", 50)


def period_start(period: str, today: datetime.date) -> datetime.date:
    """Day list = today; week list = since Monday; month list = since the 1st."""
    from .models import LeaderboardEntry

    if period == LeaderboardEntry.Period.DAY:
        return today
    if period == LeaderboardEntry.Period.WEEK:
        return today - datetime.timedelta(days=today.weekday())
    if period == LeaderboardEntry.Period.MONTH:
        return today.replace(day=1)
    raise ValueError(f"unknown period {period!r}")


def leaderboard_refresh(*, today: datetime.date | None = None, size: int | None = None) -> int | None:
    """Rebuild the ranking of every period and metric from DailyStat (paid GMV net of
    refunds, units sold). Returns the number of rows, or None when another refresh holds
    the lock (the rows it writes are as fresh)."""
    from django.db.models import Sum

    from .models import LeaderboardEntry

    lock = "stats:leaderboard:refresh"
    if not cache.add(lock, 1, 120):
        return None
    try:
        today = today or timezone.localdate()
        size = size or LEADERBOARD_SIZE
        now = timezone.now()
        entries = []
        for period in LeaderboardEntry.Period.values:
            start = period_start(period, today)
            totals = list(
                DailyStat.objects.filter(day__gte=start, day__lte=today, creator__isnull=False,
                                         creator__is_active=True, creator__is_official=False)
                .values("creator_id")
                .annotate(gmv=Sum("gmv_fen"), units=Sum("units"), orders=Sum("orders"))
            )
            orderings = {
                LeaderboardEntry.Metric.GMV: lambda r: (-r["gmv"], -r["units"], r["creator_id"]),
                LeaderboardEntry.Metric.SALES: lambda r: (-r["units"], -r["gmv"], r["creator_id"]),
            }
            for metric, key in orderings.items():
                column = "gmv" if metric == LeaderboardEntry.Metric.GMV else "units"
                ranked = sorted((r for r in totals if (r[column] or 0) > 0), key=key)[:size]
                entries += [
                    LeaderboardEntry(period=period, metric=metric, rank=i, creator_id=r["creator_id"],
                                     gmv_fen=r["gmv"] or 0, units=r["units"] or 0, orders=r["orders"] or 0,
                                     period_start=start, computed_at=now)
                    for i, r in enumerate(ranked, start=1)
                ]
        with transaction.atomic():
            LeaderboardEntry.objects.all().delete()
            LeaderboardEntry.objects.bulk_create(entries)
        return len(entries)
    finally:
        cache.delete(lock)
