"""What one part of each kind of job is: how a job is split, fetched and stored.

- ``products`` (refresh): a page of in-use product ids (``usage.products_in_use``) → one
  ``products_detail`` batch → ``product_upsert_many``; ids the source no longer returns are
  marked unavailable in one UPDATE.
- ``pool`` (import): page N of the source's pool list (no keyword: its recommended hot
  sellers) → ``product_upsert_many``; when the job ends, the top of that list becomes the
  source's recommended set.
- ``orders``: one time window of at most ``client.max_order_window`` → every page of it →
  ``order_reports_store``; the source's checkpoint moves to the end of the last window before
  which every window of the job is stored.

``fetch`` talks to the source (outside any transaction); ``store`` runs inside the job's
locked transaction and returns what it wrote.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from affiliates.gate import gate_rules_load
from affiliates.models import Product
from affiliates.services import product_recommended_set, product_upsert_many
from affiliates.sources.base import SearchPage, SourceClient

from .. import conf
from ..models import SyncCheckpoint, SyncJob, SyncJobPart, SyncKind
from ..usage import products_in_use
from .orders import order_reports_store, order_window_fetch


@dataclass
class PartCounts:
    seen: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    gone: int = 0
    skipped: int = 0
    external_ids: list[str] = field(default_factory=list)
    position: dict[str, Any] = field(default_factory=dict)

    @property
    def written(self) -> int:
        return self.created + self.updated + self.gone


# --- planning ------------------------------------------------------------------------------------
def plan(kind: str, source: str, client: SourceClient, *, since: datetime | None = None,
         pages: int | None = None, page_size: int | None = None, now: datetime | None = None) -> dict:
    """The job's fixed parameters; ``total_of(kind, params)`` parts follow from them."""
    now = now or timezone.now()
    if kind == SyncKind.PRODUCTS:
        size = max(1, page_size or conf.refresh_page_size())
        ids = list(products_in_use(source).order_by("pk").values_list("pk", flat=True))
        bounds = [[ids[i], ids[min(i + size, len(ids)) - 1]] for i in range(0, len(ids), size)]
        return {"page_size": size, "products": len(ids), "bounds": bounds}
    if kind == SyncKind.POOL:
        size = min(max(1, page_size or client.max_page_size), client.max_page_size)
        return {"pages": max(0, pages if pages is not None else conf.pool_pages()), "page_size": size, "keyword": ""}
    if kind == SyncKind.ORDERS:
        if since is None:
            checkpoint = SyncCheckpoint.objects.filter(source=source, kind=SyncKind.ORDERS).first()
            since = (checkpoint.position - conf.orders_overlap()) if checkpoint else now - conf.orders_first_lookback()
        # Whole seconds: the sources' time parameters have no fractions (a 0.3 s window would be empty).
        start, until = since.replace(microsecond=0), now.replace(microsecond=0)
        return {"start": start.isoformat(), "until": until.isoformat(),
                "window_seconds": int(client.max_order_window.total_seconds()),
                "page_size": page_size}  # None: the client's own maximum for order pages
    raise ValueError(f"unknown sync kind {kind!r}")


def total_of(kind: str, params: dict) -> int:
    if kind == SyncKind.PRODUCTS:
        return len(params["bounds"])
    if kind == SyncKind.POOL:
        return int(params["pages"])
    start, until = _orders_span(params)
    if until <= start:
        return 0
    return math.ceil((until - start).total_seconds() / params["window_seconds"])


def _orders_span(params: dict) -> tuple[datetime, datetime]:
    return parse_datetime(params["start"]), parse_datetime(params["until"])


def window_of(params: dict, number: int) -> tuple[datetime, datetime]:
    start, until = _orders_span(params)
    step = timedelta(seconds=params["window_seconds"])
    return start + step * number, min(start + step * (number + 1), until)


def label_of(job: SyncJob, number: int) -> str:
    if job.kind == SyncKind.ORDERS:
        start, end = window_of(job.params, number)
        start, end = timezone.localtime(start), timezone.localtime(end)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}" if start.date() == end.date() else \
            f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"
    if job.kind == SyncKind.PRODUCTS:
        lo, hi = job.params["bounds"][number]
        return f"#{lo}–#{hi}"
    return f"p{number + 1}"


def part_title(job: SyncJob, number: int) -> str:
    """What part ``number`` covers, in the reader's language (admin, command)."""
    if job.kind == SyncKind.ORDERS:
        return label_of(job, number)
    if job.kind == SyncKind.PRODUCTS:
        lo, hi = job.params["bounds"][number]
        return _("products #%(lo)d–#%(hi)d") % {"lo": lo, "hi": hi}
    return _("page %(n)d") % {"n": number + 1}


# --- fetching (network, no transaction) -------------------------------------------------------------
def _refresh_ids(job: SyncJob, number: int) -> list[str]:
    lo, hi = job.params["bounds"][number]
    return list(products_in_use(job.source).filter(pk__gte=lo, pk__lte=hi).order_by("pk")
                .values_list("external_id", flat=True))


def fetch(job: SyncJob, number: int, client: SourceClient) -> Any:
    if job.kind == SyncKind.PRODUCTS:
        ids = _refresh_ids(job, number)
        return ids, (client.products_detail(ids) if ids else [])
    if job.kind == SyncKind.POOL:
        return client.search(keyword=job.params.get("keyword", ""), page=number + 1,
                             page_size=job.params["page_size"])
    start, end = window_of(job.params, number)
    return order_window_fetch(client, start=start, end=end, page_size=job.params.get("page_size"))


# --- storing (inside the job's transaction) --------------------------------------------------------------
def store(job: SyncJob, number: int, fetched: Any) -> PartCounts:
    if job.kind == SyncKind.PRODUCTS:
        return _store_refresh(job, number, *fetched)
    if job.kind == SyncKind.POOL:
        return _store_pool(job, number, fetched)
    return _store_orders(job, number, fetched)


def _upsert(infos) -> PartCounts:
    # Sorted: every writer locks product rows in the same order (no deadlocks between jobs).
    counts = product_upsert_many(infos=sorted(infos, key=lambda i: str(i.external_id)), rules=gate_rules_load())
    return PartCounts(seen=len(infos), created=counts.created, updated=counts.updated,
                      unchanged=counts.unchanged, skipped=counts.skipped)


def _store_refresh(job: SyncJob, number: int, asked: list[str], infos) -> PartCounts:
    wanted = set(asked)
    returned = [i for i in infos if str(i.external_id) in wanted]
    counts = _upsert(returned)
    missing = wanted - {str(i.external_id) for i in returned}
    if missing:
        now = timezone.now()
        # The empty hash makes the next upsert of the product (if the source brings it back) a write.
        counts.gone = Product.objects.filter(source=job.source, external_id__in=sorted(missing), available=True) \
            .update(available=False, content_hash="", last_synced_at=now, updated_at=now)
        counts.unchanged += len(missing) - counts.gone
        counts.seen += len(missing)
    counts.position = {"last_product_pk": job.params["bounds"][number][1]}
    return counts


def _hot_pages(job: SyncJob) -> int:
    if job.params.get("keyword"):
        return 0
    return math.ceil(conf.recommended_limit() / job.params["page_size"])


def _store_pool(job: SyncJob, number: int, page: SearchPage) -> PartCounts:
    items = [i for i in page.items if i.source == job.source]
    counts = _upsert(items)
    if number < _hot_pages(job):
        counts.external_ids = [str(i.external_id) for i in items]
    counts.position = {"page": number + 1, "has_more": page.has_more}
    return counts


def _store_orders(job: SyncJob, number: int, rows) -> PartCounts:
    stored = order_reports_store(source=job.source, rows=rows)
    counts = PartCounts(seen=stored.seen, created=len(stored.created_ids), updated=len(stored.updated_ids),
                        unchanged=stored.unchanged, skipped=stored.skipped)
    counts.position = {"window": label_of(job, number)}
    return counts


# --- after a part is stored / when the job ends ---------------------------------------------------------------
def after_part(job: SyncJob) -> dict:
    """Position extras once the part's row exists (same transaction, job row locked).

    Orders: the windows before ``prefix`` are all stored, so the checkpoint may move to the end
    of window ``prefix - 1`` — never past a window that is still missing.
    """
    if job.kind != SyncKind.ORDERS:
        return {}
    prefix = int(job.position.get("prefix", 0))
    for number in SyncJobPart.objects.filter(job=job, number__gte=prefix).order_by("number") \
            .values_list("number", flat=True):
        if number != prefix:
            break
        prefix += 1
    if prefix == 0:
        return {}
    reached = window_of(job.params, prefix - 1)[1]
    checkpoint = checkpoint_advance(source=job.source, position=reached, job=job)
    return {"prefix": prefix, "checkpoint": checkpoint.position.isoformat()}


def checkpoint_advance(*, source: str, position: datetime, job: SyncJob | None = None) -> SyncCheckpoint:
    """Move the source's order checkpoint forward to ``position`` (never back)."""
    checkpoint = SyncCheckpoint.objects.select_for_update().filter(source=source, kind=SyncKind.ORDERS).first()
    if checkpoint is None:
        return SyncCheckpoint.objects.create(source=source, kind=SyncKind.ORDERS, position=position, job=job)
    if position > checkpoint.position:
        checkpoint.position, checkpoint.job = position, job
        checkpoint.save(update_fields=["position", "job", "updated_at"])
    return checkpoint


def finalize(job: SyncJob) -> None:
    """The last part is stored: make the top of the pool list the source's recommended set."""
    if job.kind != SyncKind.POOL or not _hot_pages(job):
        return
    ids: list[str] = []
    for part_ids in SyncJobPart.objects.filter(job=job, number__lt=_hot_pages(job)).order_by("number") \
            .values_list("external_ids", flat=True):
        ids.extend(part_ids)
    product_recommended_set(source=job.source, external_ids=list(dict.fromkeys(ids))[:conf.recommended_limit()])

