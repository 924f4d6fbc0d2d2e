"""Running sync jobs in tests: eager Celery, on-commit callbacks executed, the in-process sandbox."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from affiliates.sandbox import catalog
from affiliates.sandbox.services import sandbox_order_create
from affiliates.sync.models import SyncJob
from affiliates.sync.services import sync_job_start


def run_job(capture, kind: str, source: str = "taobao", **params) -> SyncJob:
    """Start a job the way beat does (one eager task per part, queued on commit) and reload it."""
    with capture(execute=True):
        job = sync_job_start(kind=kind, source=source, **params)
    job.refresh_from_db()
    return job


def item_id(source: str, index: int) -> str:
    return catalog.external_id(source, index)


def hot_ids(source: str, n: int) -> list[str]:
    """The first ``n`` external ids of the source's no-keyword (hot-seller) list."""
    return [catalog.external_id(source, i) for i in list(catalog.search(source))[:n]]


def orders_over(source: str, hours: int, *, per_hour: int = 2, now: datetime | None = None) -> list:
    """``per_hour`` paid orders in each of the last ``hours`` hours, oldest first."""
    now = now or timezone.now()
    made = []
    for h in range(hours, 0, -1):
        for k in range(per_hour):
            at = now - timedelta(hours=h) + timedelta(minutes=5 + 20 * k)
            made.append(sandbox_order_create(source=source, external_id=hot_ids(source, 50)[(h * 7 + k) % 50],
                                             click_id=f"clk{h:03d}{k}", quantity=1 + k, at=at))
    return made
