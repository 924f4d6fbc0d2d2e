"""Order reports: reading a window from a source, storing rows once, handing them on."""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

from django.db import connection, transaction
from django.utils import timezone

from affiliates.sources.base import ORDER_TIME_UPDATED, OrderReportRow, SourceClient, SourceError

from .. import conf
from ..models import OrderReport, OrderReportStatus
from ..signals import order_reports_stored

logger = logging.getLogger(__name__)

CONTENT_FIELDS = (
    "product_external_id", "title", "quantity", "click_id", "status", "raw_status", "paid_amount_fen",
    "commission_rate_bp", "estimated_commission_fen", "settled_commission_fen", "ordered_at", "paid_at",
    "finished_at", "source_updated_at",
)
KEY_FIELDS = ("source", "order_id", "line_id")
TIME_FIELDS = frozenset({"ordered_at", "paid_at", "finished_at", "source_updated_at", "created_at", "updated_at"})
WRITE_CHUNK = 500
#: a window answering more pages than this is a source bug (or a lying ``has_more``), not data
MAX_PAGES_PER_WINDOW = 10_000
_STATUSES = frozenset(OrderReportStatus.values)


@dataclass(frozen=True)
class OrderStoreCounts:
    created_ids: tuple[int, ...] = ()
    updated_ids: tuple[int, ...] = ()
    unchanged: int = 0
    skipped: int = 0
    seen: int = 0

    @property
    def written(self) -> int:
        return len(self.created_ids) + len(self.updated_ids)


@dataclass
class _Prepared:
    rows: dict[tuple[str, str], dict] = field(default_factory=dict)
    skipped: int = 0


def order_window_fetch(client: SourceClient, *, start: datetime, end: datetime,
                       page_size: int | None = None, by: str = ORDER_TIME_UPDATED) -> list[OrderReportRow]:
    """Every row the source reports for [start, end), following ``has_more`` (and the cursor)
    to the first empty page; short pages do not end a window (sources send them mid-way).
    ``by``: rows updated in the window (the sync), or of orders placed in it (reconciliation)."""
    rows: list[OrderReportRow] = []
    page, cursor = 1, None
    by_kwarg = {} if by == ORDER_TIME_UPDATED else {"by": by}  # clients without the option still serve the feed
    while True:
        answer = client.order_reports(start=start, end=end, page=page, page_size=page_size, cursor=cursor,
                                      **by_kwarg)
        rows.extend(answer.rows)
        if not answer.has_more or not answer.rows:
            return rows
        page, cursor = page + 1, answer.cursor
        if page > MAX_PAGES_PER_WINDOW:
            raise SourceError(client.source.value, f"order window {start:%Y-%m-%d %H:%M} never ends", code="paging")


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


def _invalid_reason(source: str, r: OrderReportRow) -> str | None:
    if r.source != source:
        return "row of another source"
    if not r.order_id or not r.line_id or len(r.order_id) > 64 or len(r.line_id) > 64:
        return "bad order or line id"
    if str(r.status) not in _STATUSES:
        return "unknown status"
    if min(r.paid_amount_fen, r.estimated_commission_fen, r.settled_commission_fen) < 0:
        return "negative amount"
    if not 0 <= r.commission_rate_bp <= 10_000:
        return "commission rate out of range"
    if r.ordered_at is None:
        return "no order time"
    return None


def _raw(r: OrderReportRow) -> dict:
    return {k: (v.isoformat() if isinstance(v, datetime) else str(v) if k == "status" else v)
            for k, v in asdict(r).items()}


def _content(r: OrderReportRow) -> dict:
    return {
        "product_external_id": (r.product_external_id or "")[:64], "title": (r.title or "")[:255],
        "quantity": max(int(r.quantity or 0), 0), "click_id": (r.click_id or "")[:64],
        "status": str(r.status), "raw_status": (r.raw_status or "")[:32],
        "paid_amount_fen": int(r.paid_amount_fen), "commission_rate_bp": int(r.commission_rate_bp),
        "estimated_commission_fen": int(r.estimated_commission_fen),
        "settled_commission_fen": int(r.settled_commission_fen),
        "ordered_at": _utc(r.ordered_at), "paid_at": _utc(r.paid_at), "finished_at": _utc(r.finished_at),
        "source_updated_at": _utc(r.updated_at),
    }


def _hash(content: dict) -> str:
    payload = repr(tuple(content[f].isoformat() if isinstance(content[f], datetime) else content[f]
                         for f in CONTENT_FIELDS))
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()


def _newer_or_same(new: datetime | None, old: datetime | None) -> bool:
    """A row is never overwritten by an older report of itself (windows may arrive out of order)."""
    return new is None or old is None or new >= old


def _prepare(source: str, rows: list[OrderReportRow]) -> _Prepared:
    out = _Prepared()
    for r in rows:
        reason = _invalid_reason(source, r)
        if reason:
            out.skipped += 1
            logger.warning("order report skipped: %s (%s %r/%r)", reason, source, r.order_id, r.line_id)
            continue
        content = _content(r)
        key = (str(r.order_id), str(r.line_id))
        kept = out.rows.get(key)
        # The same line twice in one batch (it moved between pages): keep the latest report.
        if kept is None or _newer_or_same(content["source_updated_at"], kept["source_updated_at"]):
            out.rows[key] = {**content, "raw": _raw(r), "content_hash": _hash(content)}
    return out


def _adapt(name: str, value):
    if name == "raw":
        return json.dumps(value, ensure_ascii=False)
    if name in TIME_FIELDS and value is not None:
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _write(rows: list[dict]) -> None:
    """INSERT … ON CONFLICT (source, order_id, line_id) DO UPDATE, only where the content
    differs and the report is not older than the stored one."""
    q = connection.ops.quote_name
    table = q(OrderReport._meta.db_table)
    updates = [*CONTENT_FIELDS, "raw", "content_hash", "handoff_pending", "updated_at"]
    columns = [*KEY_FIELDS, *updates, "created_at"]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    stamp = q("source_updated_at")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), WRITE_CHUNK):
            chunk = rows[start:start + WRITE_CHUNK]
            sql = (
                f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) VALUES "
                + ", ".join([placeholders] * len(chunk))
                + f" ON CONFLICT ({', '.join(q(c) for c in KEY_FIELDS)}) DO UPDATE SET "
                + ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in updates)
                + f" WHERE {table}.{q('content_hash')} <> EXCLUDED.{q('content_hash')}"
                + f" AND ({table}.{stamp} IS NULL OR EXCLUDED.{stamp} IS NULL OR EXCLUDED.{stamp} >= {table}.{stamp})"
            )
            cursor.execute(sql, [_adapt(c, row[c]) for row in chunk for c in columns])


@transaction.atomic
def order_reports_store(*, source: str, rows: list[OrderReportRow]) -> OrderStoreCounts:
    """Store a batch of one source's order rows: new lines are inserted, lines whose content
    changed (a new status, settled amounts) are updated, the rest is not written.

    Idempotent: storing the same or an overlapping batch again changes nothing. A report older
    than the stored one (by the source's update time) never overwrites it. After commit, the
    changed rows are handed on through ``signals.order_reports_stored``.
    """
    prepared = _prepare(source, rows)
    if not prepared.rows:
        return OrderStoreCounts(skipped=prepared.skipped, seen=len(rows))
    keys = list(prepared.rows)
    existing: dict[tuple[str, str], tuple[str, datetime | None]] = {}
    order_ids = sorted({order_id for order_id, _ in keys})
    for start in range(0, len(order_ids), 1000):
        for order_id, line_id, content_hash, stamp in OrderReport.objects.filter(
            source=source, order_id__in=order_ids[start:start + 1000],
        ).values_list("order_id", "line_id", "content_hash", "source_updated_at"):
            existing[(order_id, line_id)] = (content_hash, stamp)
    now = timezone.now()
    to_write: list[dict] = []
    created_keys: list[tuple[str, str]] = []
    updated_keys: list[tuple[str, str]] = []
    unchanged = 0
    for key in sorted(keys):  # one lock order for every writer
        row = prepared.rows[key]
        old = existing.get(key)
        if old is not None and (old[0] == row["content_hash"]
                                or not _newer_or_same(row["source_updated_at"], old[1])):
            unchanged += 1
            continue
        (created_keys if old is None else updated_keys).append(key)
        to_write.append({"source": source, "order_id": key[0], "line_id": key[1], **row,
                         "handoff_pending": True, "created_at": now, "updated_at": now})
    if not to_write:
        return OrderStoreCounts(unchanged=unchanged, skipped=prepared.skipped, seen=len(rows))
    _write(to_write)
    written_orders = sorted({k[0] for k in created_keys + updated_keys})
    pks: dict[tuple[str, str], int] = {}
    for start in range(0, len(written_orders), 1000):
        for order_id, line_id, pk in OrderReport.objects.filter(
            source=source, order_id__in=written_orders[start:start + 1000],
        ).values_list("order_id", "line_id", "pk"):
            pks[(order_id, line_id)] = pk
    counts = OrderStoreCounts(
        created_ids=tuple(pks[k] for k in created_keys), updated_ids=tuple(pks[k] for k in updated_keys),
        unchanged=unchanged, skipped=prepared.skipped, seen=len(rows),
    )
    transaction.on_commit(partial(order_reports_handoff, source=source, created_ids=list(counts.created_ids),
                                  updated_ids=list(counts.updated_ids), stored_at=now), robust=True)
    return counts


def order_reports_handoff(*, source: str, created_ids: list[int], updated_ids: list[int], stored_at: datetime,
                          redelivery: bool = False) -> bool:
    """Send ``order_reports_stored`` and clear the rows' ``handoff_pending`` when every receiver
    took them. Rows changed again since ``stored_at`` stay pending for their own hand-off."""
    if not created_ids and not updated_ids:
        return True
    responses = order_reports_stored.send_robust(
        sender=OrderReport, source=source, created_ids=list(created_ids), updated_ids=list(updated_ids),
        redelivery=redelivery,
    )
    failed = [(receiver, result) for receiver, result in responses if isinstance(result, Exception)]
    for receiver, error in failed:
        logger.error("order_reports_stored receiver %r failed for %s rows of %s: %r", receiver,
                     len(created_ids) + len(updated_ids), source, error)
    if failed:
        return False
    OrderReport.objects.filter(pk__in=[*created_ids, *updated_ids], handoff_pending=True,
                               updated_at__lte=stored_at).update(handoff_pending=False)
    return True


def order_reports_redeliver(*, older_than: timedelta | None = None, batch_size: int = 500) -> int:
    """Offer again the rows whose hand-off did not complete (a receiver raised, or the process
    died between commit and hand-off). Returns how many rows were handed on."""
    cutoff = timezone.now() - (conf.handoff_retry_after() if older_than is None else older_than)
    delivered = 0
    pending = OrderReport.objects.filter(handoff_pending=True, updated_at__lte=cutoff)
    for source in pending.order_by().values_list("source", flat=True).distinct():
        last_pk = 0
        while True:
            batch = list(pending.filter(source=source, pk__gt=last_pk).order_by("pk")
                         .values_list("pk", "created_at", "updated_at")[:batch_size])
            if not batch:
                break
            last_pk = batch[-1][0]
            created = [pk for pk, created_at, updated_at in batch if created_at == updated_at]
            updated = [pk for pk, created_at, updated_at in batch if created_at != updated_at]
            if not order_reports_handoff(source=source, created_ids=created, updated_ids=updated,
                                         stored_at=cutoff, redelivery=True):
                break
            delivered += len(batch)
    return delivered
