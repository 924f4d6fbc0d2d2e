"""A worker killed with SIGKILL in the middle of a sync job, and a new worker started: the job
finishes from its stored parts with every order line exactly once.

Real processes: the worker runs on the test database and the Redis broker and reaches the
sandbox over HTTP (pytest-django's live server). The killed worker's in-flight message stays
unacked in Redis (it would come back after the broker's visibility timeout); the
``affiliates.sync_resume_stale`` task — run by beat every minute in production — re-queues the
job's missing parts at once, and parts already stored are skipped.

Mutation tried once: ``sync_part`` acking early (``acks_late=False`` in ``affiliates/tasks.py``)
and ``sync_jobs_resume_stale`` re-queuing nothing: the part the killed worker held is lost and the
test fails with "gave up waiting for the job to finish". Either way back alone is enough, which is
why the mutation removes both.
"""
import signal
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from affiliates.sandbox.services import sandbox_order_create
from affiliates.sync.models import OrderReport, SyncJob, SyncJobPart, SyncStatus
from affiliates.sync.selectors import orders_checkpoint
from affiliates.sync.services import parts, sync_job_start
from tests.worker_faults import kill_hard, wait_for

from .helpers import hot_ids

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WINDOWS = 6  # Taobao: 3-hour windows
ORDERS_PER_WINDOW = 3
WAIT_SECONDS = 90


def test_a_killed_worker_leaves_a_job_that_a_new_worker_finishes_exactly(celery_worker_process, live_server,
                                                                         settings):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs the shared PostgreSQL test database")
    now = timezone.now()
    since = now - timedelta(hours=3 * WINDOWS) + timedelta(minutes=1)
    items = hot_ids("taobao", 10)
    orders = [
        sandbox_order_create(source="taobao", external_id=items[(w + k) % 10], click_id=f"clk-{w}-{k}",
                             at=since + timedelta(hours=3 * w, minutes=10 + 30 * k))
        for w in range(WINDOWS) for k in range(ORDERS_PER_WINDOW)
    ]
    # Slow answers (every gateway call) and small pages keep each window busy for a while.
    settings.SANDBOX_FAULTS = {"taobao": {"delay_ms": 300}}
    worker_env = {"SANDBOX_BASE_URL": live_server.url}
    first = celery_worker_process(extra_env=worker_env)

    job = sync_job_start(kind="orders", source="taobao", since=since, page_size=2)
    assert job.total == WINDOWS
    wait_for(lambda: SyncJobPart.objects.filter(job=job).count() >= 2, "two stored windows", WAIT_SECONDS)
    kill_hard(first)
    assert first.returncode == -signal.SIGKILL
    job.refresh_from_db()
    stored_at_kill = job.done
    assert 2 <= stored_at_kill < WINDOWS and job.status == SyncStatus.RUNNING
    assert orders_checkpoint("taobao") == parts.window_of(job.params, stored_at_kill - 1)[1]

    celery_worker_process(extra_env=worker_env)
    from affiliates.tasks import sync_resume_stale

    sync_resume_stale.delay(stale_seconds=0)
    wait_for(lambda: SyncJob.objects.get(pk=job.pk).status != SyncStatus.RUNNING, "the job to finish", WAIT_SECONDS)

    job.refresh_from_db()
    assert job.status == SyncStatus.DONE and job.done == job.total == WINDOWS
    assert sorted(SyncJobPart.objects.filter(job=job).values_list("number", flat=True)) == list(range(WINDOWS))
    assert job.created_count == len(orders) and job.updated_count == 0
    stored = list(OrderReport.objects.values_list("source", "order_id", "line_id"))
    assert len(stored) == len(set(stored)) == len(orders)
    assert sorted(stored) == sorted((o.source, o.order_id, o.line_id) for o in orders)
    assert orders_checkpoint("taobao") == parts.window_of(job.params, WINDOWS - 1)[1]
