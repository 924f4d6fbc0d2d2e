"""Celery tasks of reconciliation: thin wrappers over services, taking plain values."""
from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="reconcile.run")
def reconcile_run_task(kind: str, source: str, day: str, started_by_id: int | None = None) -> int:
    """One run started from admin (or by hand); returns the run's id."""
    started_by = None
    if started_by_id:
        from django.contrib.auth import get_user_model

        started_by = get_user_model().objects.filter(pk=started_by_id).first()
    return services.reconciliation_start(kind=kind, source=source, day=day, started_by=started_by).pk


@shared_task(name="reconcile.sources_yesterday")
def reconcile_sources_yesterday_task() -> dict:
    """Yesterday (Beijing time) of every outside source that pays commission through us."""
    day = services.yesterday()
    out = {}
    for source in services.RECONCILED_SOURCES:
        run = services.reconcile_source(source=source, day=day)
        services.reconciliation_alert(run)
        out[source] = run.status
    return out


@shared_task(name="reconcile.payments_yesterday")
def reconcile_payments_yesterday_task() -> str:
    """Yesterday's (Beijing time) payments and refunds against the gateway's statement."""
    run = services.reconcile_payments(day=services.yesterday())
    services.reconciliation_alert(run)
    return run.status
