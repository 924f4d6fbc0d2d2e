"""Reads of the sync: which sources can sync, job progress, stale jobs, checkpoints."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from affiliates import sources as source_registry

from . import conf
from .models import ACTIVE_STATUSES, SyncCheckpoint, SyncJob, SyncJobPart, SyncKind


def sync_sources() -> list[str]:
    """The outside sources that have a client (the ones a sync can talk to)."""
    return [client.source.value for client in source_registry.external_clients()]


def sync_job_missing_parts(job: SyncJob) -> list[int]:
    """Part numbers of the job that are not stored yet, in order."""
    stored = set(SyncJobPart.objects.filter(job=job).values_list("number", flat=True))
    return [n for n in range(job.total) if n not in stored]


def sync_job_active(*, kind: str, source: str) -> SyncJob | None:
    return SyncJob.objects.filter(kind=kind, source=source, status__in=ACTIVE_STATUSES).first()


def sync_jobs_stale(*, stale_after: timedelta | None = None) -> QuerySet[SyncJob]:
    """Active jobs with no sign of life (and no resume) for ``stale_after``."""
    cutoff = timezone.now() - (conf.job_stale_after() if stale_after is None else stale_after)
    return SyncJob.objects.filter(status__in=ACTIVE_STATUSES).filter(
        Q(heartbeat_at__lte=cutoff) | Q(heartbeat_at__isnull=True, created_at__lte=cutoff),
    ).filter(Q(resumed_at__isnull=True) | Q(resumed_at__lte=cutoff)).order_by("pk")


def orders_checkpoint(source: str) -> datetime | None:
    """Everything the source reported as updated before this time is stored."""
    return (SyncCheckpoint.objects.filter(source=source, kind=SyncKind.ORDERS)
            .values_list("position", flat=True).first())
