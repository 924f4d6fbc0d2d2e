"""Jobs are resumable and idempotent: a part is stored once however often it runs, resuming runs
only the missing parts, quiet jobs are picked up again, and finished jobs stay finished."""
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from affiliates.models import Product
from affiliates.sync.models import SyncJob, SyncJobPart, SyncStatus
from affiliates.sync.services import (
    sync_job_cancel,
    sync_job_resume,
    sync_job_start,
    sync_jobs_resume_stale,
    sync_part_run,
)
from core.errors import Conflict, InvalidInput

from .helpers import run_job

pytestmark = pytest.mark.django_db


def _calls(sandbox) -> int:
    return sum(1 for _, path in sandbox.calls if path.endswith("/router/rest"))


def test_a_part_run_twice_is_stored_once(sandbox):
    job = sync_job_start(kind="pool", source="taobao", pages=2, page_size=10, enqueue=False)
    first = sync_part_run(job_id=job.pk, number=0)
    again = sync_part_run(job_id=job.pk, number=0)
    job.refresh_from_db()
    assert first.stored and not again.stored
    assert (job.done, job.created_count, job.status) == (1, 10, SyncStatus.RUNNING)
    assert SyncJobPart.objects.filter(job=job).count() == 1 and Product.objects.count() == 10


def test_a_run_that_loses_the_race_for_its_part_rolls_its_rows_back(sandbox, monkeypatch):
    from affiliates.sync.services import parts

    job = sync_job_start(kind="pool", source="taobao", pages=1, page_size=10, enqueue=False)
    real_store = parts.store

    def store_while_another_run_finishes_first(job_, number, fetched):
        counts = real_store(job_, number, fetched)
        SyncJobPart.objects.create(job=job_, number=number)  # the other run committed this part meanwhile
        return counts

    monkeypatch.setattr(parts, "store", store_while_another_run_finishes_first)
    outcome = sync_part_run(job_id=job.pk, number=0)
    job.refresh_from_db()
    assert not outcome.stored
    assert (job.done, job.created_count) == (0, 0)
    assert not Product.objects.exists() and not SyncJobPart.objects.exists()


def test_resuming_runs_only_the_missing_parts(sandbox, django_capture_on_commit_callbacks):
    job = sync_job_start(kind="pool", source="taobao", pages=3, page_size=10, enqueue=False)
    sync_part_run(job_id=job.pk, number=1)
    before = _calls(sandbox)
    with django_capture_on_commit_callbacks(execute=True):
        queued = sync_job_resume(job_id=job.pk)
    job.refresh_from_db()
    assert queued == 2 and _calls(sandbox) - before == 2
    assert (job.status, job.done, job.created_count) == (SyncStatus.DONE, 3, 30)
    assert job.position["part"] in (0, 2)


def test_jobs_gone_quiet_are_resumed_and_finish(sandbox, django_capture_on_commit_callbacks):
    quiet = sync_job_start(kind="pool", source="taobao", pages=2, page_size=10, enqueue=False)
    sync_part_run(job_id=quiet.pk, number=0)  # then the worker died: part 1's message is lost
    SyncJob.objects.filter(pk=quiet.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    lively = sync_job_start(kind="orders", source="taobao", since=timezone.now() - timedelta(hours=1), enqueue=False)
    SyncJob.objects.filter(pk=lively.pk).update(status=SyncStatus.RUNNING, heartbeat_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        resumed = sync_jobs_resume_stale(stale_after=timedelta(minutes=10))
    assert resumed == [quiet.pk]
    quiet.refresh_from_db()
    lively.refresh_from_db()
    assert (quiet.status, quiet.done, quiet.created_count) == (SyncStatus.DONE, 2, 20)
    assert lively.done == 0 and lively.resumed_at is None


def test_a_cancelled_job_stores_nothing_more(sandbox, django_capture_on_commit_callbacks):
    job = sync_job_start(kind="pool", source="taobao", pages=2, page_size=10, enqueue=False)
    sync_job_cancel(job_id=job.pk)
    assert not sync_part_run(job_id=job.pk, number=0).stored
    assert not Product.objects.exists()
    with pytest.raises(Conflict):
        sync_job_resume(job_id=job.pk)


def test_a_finished_job_cannot_be_resumed_or_cancelled(sandbox, django_capture_on_commit_callbacks):
    job = run_job(django_capture_on_commit_callbacks, "pool", pages=1, page_size=5)
    assert job.status == SyncStatus.DONE
    with pytest.raises(Conflict):
        sync_job_resume(job_id=job.pk)
    with pytest.raises(Conflict):
        sync_job_cancel(job_id=job.pk)


def test_a_failed_job_resumes_only_when_no_other_job_of_its_kind_runs(sandbox):
    failed = sync_job_start(kind="pool", source="taobao", pages=1, enqueue=False)
    SyncJob.objects.filter(pk=failed.pk).update(status=SyncStatus.FAILED)
    sync_job_start(kind="pool", source="taobao", pages=1, enqueue=False)
    with pytest.raises(Conflict):
        sync_job_resume(job_id=failed.pk)


def test_native_sources_have_nothing_to_sync(sandbox):
    with pytest.raises(InvalidInput) as info:
        sync_job_start(kind="pool", source="shop")
    assert info.value.field == "source"


def test_the_beat_task_starts_one_job_per_source(sandbox, django_capture_on_commit_callbacks):
    from affiliates.sync.selectors import sync_sources
    from affiliates.tasks import sync_start

    with django_capture_on_commit_callbacks(execute=True):
        ids = sync_start.delay("pool", "all", pages=1).get()
    jobs = SyncJob.objects.filter(pk__in=ids)
    assert sorted(jobs.values_list("source", flat=True)) == sorted(sync_sources())
    assert set(jobs.values_list("status", flat=True)) == {SyncStatus.DONE}


def test_setup_schedules_installs_the_sync_tasks(db):
    call_command("setup_schedules", stdout=StringIO())
    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"affiliates.sync_start", "affiliates.sync_resume_stale", "affiliates.order_reports_redeliver"} <= tasks
    assert PeriodicTask.objects.filter(task="affiliates.sync_start").count() == 3
