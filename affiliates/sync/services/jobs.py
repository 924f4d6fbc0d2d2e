"""Sync jobs: start (plan the parts), run one part, run a whole job here, fail, resume, cancel.

A part is stored at most once: its rows, its ``SyncJobPart`` row and the job's counters are
written in one transaction under the job's row lock, and a part whose row exists is skipped.
So any part may run twice (Celery redelivery after a killed worker, a resumed job, the
command and a worker at once) and the job's rows and counts stay exact.

Status moves follow ``models.SYNC_TRANSITIONS``; ``started_at``, ``finished_at``,
``resumed_at`` and ``last_error`` keep the job's history.
"""
from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from affiliates import sources as source_registry
from affiliates.sources.base import SourceClient, SourceError
from core.errors import Conflict, InvalidInput, NotFound

from ..models import ACTIVE_STATUSES, SYNC_TRANSITIONS, SyncJob, SyncJobPart, SyncKind, SyncStatus
from ..selectors import sync_job_missing_parts, sync_jobs_stale, sync_sources
from . import parts

logger = logging.getLogger(__name__)
sleep = time.sleep  # tests make backoff instant
HEARTBEAT_EVERY = timedelta(seconds=5)


@dataclass(frozen=True)
class PartOutcome:
    stored: bool  # False: already stored, or the job is no longer active
    counts: parts.PartCounts | None = None
    finished: bool = False


def _move(job: SyncJob, to: str) -> None:
    if to not in SYNC_TRANSITIONS[SyncStatus(job.status)]:
        raise Conflict(_("A %(status)s sync job cannot become %(to)s.")
                       % {"status": job.get_status_display(), "to": SyncStatus(to).label}, field="status")
    job.status = to


def _enqueue(job_id: int, numbers: list[int]) -> None:
    from affiliates.tasks import sync_part  # tasks call services; the import is only for queuing

    celery_conf = sync_part.app.conf
    if not celery_conf.task_always_eager:
        for number in numbers:
            sync_part.delay(job_id, number)
        return
    # Eager Celery (dev, tests) with eager_propagates re-raises Retry instead of retrying; without
    # propagation the retries run inline and a final failure is recorded on the job, as on a worker.
    propagates = celery_conf.task_eager_propagates
    celery_conf.task_eager_propagates = False
    try:
        for number in numbers:
            sync_part.apply(args=(job_id, number))
    finally:
        celery_conf.task_eager_propagates = propagates


def _enqueue_on_commit(job: SyncJob) -> int:
    numbers = sync_job_missing_parts(job)
    if numbers:
        transaction.on_commit(lambda: _enqueue(job.pk, numbers))
    return len(numbers)


def sync_job_start(*, kind: str, source: str, since: datetime | None = None, pages: int | None = None,
                   page_size: int | None = None, enqueue: bool = True,
                   client: SourceClient | None = None) -> SyncJob:
    """Plan a job of ``kind`` for ``source`` and (``enqueue``) queue one task per part.

    If the same kind of job for the source is already queued or running, that job is
    returned (and its missing parts queued again) instead: jobs resume, they do not pile up.
    """
    if kind not in SyncKind.values:
        raise InvalidInput(_("Unknown sync kind."), field="kind")
    if source not in sync_sources():
        raise InvalidInput(_("%(source)s is not an outside source with a client; its products live here.")
                           % {"source": source}, field="source")
    if since is not None and timezone.is_naive(since):
        raise InvalidInput(_("Give the start time with its time zone."), field="since")
    if pages is not None and pages < 0:
        raise InvalidInput(_("Cannot be negative."), field="pages")
    client = client or source_registry.get_client(source)
    with transaction.atomic():
        job = SyncJob.objects.select_for_update().filter(kind=kind, source=source, status__in=ACTIVE_STATUSES).first()
        if job is None:
            params = parts.plan(kind, source, client, since=since, pages=pages, page_size=page_size)
            try:
                with transaction.atomic():
                    job = SyncJob.objects.create(kind=kind, source=source, params=params,
                                                 total=parts.total_of(kind, params))
            except IntegrityError:  # another start won the race: resume that one
                job = SyncJob.objects.select_for_update().get(kind=kind, source=source, status__in=ACTIVE_STATUSES)
            else:
                if job.total == 0:
                    _move(job, SyncStatus.DONE)
                    job.started_at = job.finished_at = timezone.now()
                    job.save(update_fields=["status", "started_at", "finished_at"])
        if enqueue and job.is_active:
            _enqueue_on_commit(job)
    return job


def _mark_running(job_id: int) -> SyncJob | None:
    with transaction.atomic():
        job = SyncJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not job.is_active:
            return None
        now = timezone.now()
        if job.status == SyncStatus.QUEUED:
            _move(job, SyncStatus.RUNNING)
            job.started_at = job.started_at or now
        job.heartbeat_at = now
        job.save(update_fields=["status", "started_at", "heartbeat_at"])
        return job


def sync_part_run(*, job_id: int, number: int, client: SourceClient | None = None) -> PartOutcome:
    """Fetch part ``number`` of the job from its source and store it, unless already stored.

    Source errors propagate (the task retries the retryable ones); nothing is stored then.
    """
    job = SyncJob.objects.filter(pk=job_id).first()
    if job is None or not job.is_active or not 0 <= number < job.total:
        return PartOutcome(stored=False)
    if SyncJobPart.objects.filter(job_id=job_id, number=number).exists():
        return PartOutcome(stored=False)
    beat = job.heartbeat_at
    if job.status == SyncStatus.QUEUED or beat is None or timezone.now() - beat > HEARTBEAT_EVERY:
        # Skipped while other parts keep the heartbeat fresh: the job row is locked while a part stores.
        job = _mark_running(job_id)
        if job is None:
            return PartOutcome(stored=False)
    fetched = parts.fetch(job, number, client or source_registry.get_client(job.source))
    with transaction.atomic():
        # The rows first, then the job's bookkeeping under its lock: parts of one job store their
        # rows side by side and queue only for the counters. If the part turns out to be stored
        # already (a second run) or the job stopped, everything here rolls back.
        counts = parts.store(job, number, fetched)
        job = SyncJob.objects.select_for_update().get(pk=job_id)
        if not job.is_active or SyncJobPart.objects.filter(job=job, number=number).exists():
            transaction.set_rollback(True)
            return PartOutcome(stored=False)
        label = parts.label_of(job, number)
        SyncJobPart.objects.create(job=job, number=number, label=label, seen=counts.seen,
                                   written=counts.written, external_ids=counts.external_ids)
        job.done += 1  # under the job's lock, and this part had no row: exactly one more
        job.created_count += counts.created
        job.updated_count += counts.updated
        job.unchanged_count += counts.unchanged
        job.gone_count += counts.gone
        job.skipped_count += counts.skipped
        job.position = {**job.position, **counts.position, "part": number, "label": label}
        job.position.update(parts.after_part(job))
        job.heartbeat_at = timezone.now()
        finished = job.done == job.total
        if finished:
            parts.finalize(job)
            _move(job, SyncStatus.DONE)
            job.finished_at = job.heartbeat_at
        job.save()
    return PartOutcome(stored=True, counts=counts, finished=finished)


@transaction.atomic
def sync_job_note_retry(*, job_id: int, error: str) -> None:
    """A part failed with a retryable error and will be tried again: show it in admin."""
    job = SyncJob.objects.select_for_update().filter(pk=job_id).first()
    if job is not None and job.is_active:
        job.retries += 1
        job.last_error = error[:2000]
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["retries", "last_error", "heartbeat_at"])


@transaction.atomic
def sync_job_fail(*, job_id: int, error: str) -> SyncJob | None:
    """A part failed for good: stop the job (its stored parts stay; resuming runs the rest)."""
    job = SyncJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or not job.is_active:
        return job
    _move(job, SyncStatus.FAILED)
    job.last_error = error[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "last_error", "finished_at"])
    logger.warning("sync job %s (%s %s) failed: %s", job.pk, job.kind, job.source, error)
    return job


@transaction.atomic
def sync_job_cancel(*, job_id: int) -> SyncJob:
    job = SyncJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("No such sync job."), field="job")
    _move(job, SyncStatus.CANCELLED)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])
    return job


def sync_job_resume(*, job_id: int, enqueue: bool = True) -> int:
    """Queue the parts of a queued, running or failed job that are not stored yet.

    Returns how many parts were queued. A failed job becomes queued again (unless another job
    of its kind and source is active meanwhile).
    """
    with transaction.atomic():
        job = SyncJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            raise NotFound(_("No such sync job."), field="job")
        if job.status == SyncStatus.FAILED:
            if SyncJob.objects.filter(kind=job.kind, source=job.source, status__in=ACTIVE_STATUSES).exists():
                raise Conflict(_("Another job of this kind is already running for this source."), field="job")
            _move(job, SyncStatus.QUEUED)
            job.finished_at = None
        elif not job.is_active:
            raise Conflict(_("Only a queued, running or failed sync job can be resumed."), field="job")
        job.resumed_at = job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "finished_at", "resumed_at", "heartbeat_at"])
        return _enqueue_on_commit(job) if enqueue else len(sync_job_missing_parts(job))


def sync_jobs_resume_stale(*, stale_after: timedelta | None = None) -> list[int]:
    """Re-queue the missing parts of jobs whose worker went quiet (killed, lost its message).

    Safe to over-trigger: a part queued twice is stored once (the second run sees its row).
    """
    resumed = []
    for job_id in sync_jobs_stale(stale_after=stale_after).values_list("pk", flat=True):
        try:
            if sync_job_resume(job_id=job_id):
                resumed.append(job_id)
        except (Conflict, NotFound):
            continue
    return resumed


def sync_job_run(*, job_id: int, on_part: Callable[[SyncJob, PartOutcome], None] | None = None,
                 retries: int = 3, client: SourceClient | None = None) -> SyncJob:
    """Run every missing part of the job in this process (the command's way), in order.

    A retryable source error is retried ``retries`` times with backoff (after the client's own
    retries); a part that still fails fails the job and re-raises.
    """
    job = SyncJob.objects.get(pk=job_id)
    client = client or source_registry.get_client(job.source)
    for number in sync_job_missing_parts(job):
        for attempt in range(retries + 1):
            try:
                outcome = sync_part_run(job_id=job_id, number=number, client=client)
                break
            except SourceError as exc:
                if exc.retryable and attempt < retries:
                    sync_job_note_retry(job_id=job_id, error=str(exc))
                    sleep(min(30.0, 2 ** attempt + random.random()))
                    continue
                sync_job_fail(job_id=job_id, error=str(exc))
                raise
        job = SyncJob.objects.get(pk=job_id)
        if on_part is not None:
            on_part(job, outcome)
        if not job.is_active:
            break
    return SyncJob.objects.get(pk=job_id)
