"""Celery tasks of the affiliates room: thin wrappers over ``affiliates.sync.services``.

Every task is idempotent (a part is stored once, whatever runs it twice) and acks late
(global setting), so a task lost with a killed worker is delivered again; the
``sync_resume_stale`` beat task re-queues the missing parts of jobs gone quiet sooner than
the broker's visibility timeout would.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from django.utils.dateparse import parse_datetime

from affiliates.sources.base import RateLimited, Transient
from affiliates.sync import conf
from affiliates.sync.selectors import sync_sources
from affiliates.sync.services import (
    order_reports_redeliver,
    sync_job_fail,
    sync_job_note_retry,
    sync_job_start,
    sync_jobs_resume_stale,
    sync_part_run,
)

logger = logging.getLogger(__name__)

#: worth another try later: the source (or our database) was briefly unavailable
TRANSIENT_ERRORS = (Transient, RateLimited, OperationalError, InterfaceError)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class SyncPartTask(Task):
    """Shows retries in the job's admin page and fails the job when a part gives up."""

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        sync_job_note_retry(job_id=_job_id(args, kwargs), error=_error_text(exc))

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        sync_job_fail(job_id=_job_id(args, kwargs), error=_error_text(exc))


def _job_id(args, kwargs) -> int:
    return int(kwargs["job_id"] if "job_id" in kwargs else args[0])


@shared_task(base=SyncPartTask, name="affiliates.sync_part", autoretry_for=TRANSIENT_ERRORS,
             retry_backoff=2, retry_backoff_max=300, retry_jitter=True, max_retries=conf.part_max_retries())
def sync_part(job_id: int, number: int) -> dict:
    """Store part ``number`` of sync job ``job_id`` (a page of ids, a pool page, an order window)."""
    outcome = sync_part_run(job_id=job_id, number=number)
    return {"stored": outcome.stored, "finished": outcome.finished}


@shared_task(name="affiliates.sync_start")
def sync_start(kind: str, source: str = "all", pages: int | None = None, since: str | None = None) -> list[int]:
    """Start (or resume) a ``kind`` job for one source or ``"all"``; beat runs this."""
    sources = sync_sources() if source == "all" else [source]
    started = parse_datetime(since) if since else None
    return [sync_job_start(kind=kind, source=s, pages=pages, since=started).pk for s in sources]


@shared_task(name="affiliates.sync_resume_stale")
def sync_resume_stale(stale_seconds: float | None = None) -> list[int]:
    """Re-queue the missing parts of jobs that went quiet (a worker was killed mid-part)."""
    after = None if stale_seconds is None else timedelta(seconds=stale_seconds)
    return sync_jobs_resume_stale(stale_after=after)


@shared_task(name="affiliates.order_reports_redeliver", autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=True, max_retries=3)
def order_reports_redeliver_task(older_than_seconds: float | None = None) -> int:
    """Offer again the order reports whose hand-off to orders/commissions did not complete."""
    after = None if older_than_seconds is None else timedelta(seconds=older_than_seconds)
    return order_reports_redeliver(older_than=after)


@shared_task(name="affiliates.categories_sync", autoretry_for=TRANSIENT_ERRORS, retry_backoff=30,
             retry_backoff_max=600, max_retries=5)
def categories_sync(source: str = "all") -> dict:
    """Pull the category tree of one source or ``"all"`` (the outside ones and the native tree)."""
    from affiliates.services.categories import category_tree_sources, category_tree_sync

    sources = category_tree_sources() if source == "all" else [source]
    return {s: category_tree_sync(source=s).nodes for s in sources}
