"""The sandbox's injected faults — truncated pages, 5xx, rate limits, a lying has_more — are what
retries and paging exist for: the job still completes with exact counts."""
from datetime import timedelta

import pytest
from django.utils import timezone

from affiliates.models import Product
from affiliates.sync.models import OrderReport, SyncStatus
from affiliates.sync.selectors import orders_checkpoint
from affiliates.sync.services import sync_job_resume

from .helpers import hot_ids, orders_over, run_job

pytestmark = pytest.mark.django_db


def _faults(settings, **taobao):
    settings.SANDBOX_FAULTS = {"taobao": taobao}


def _client_attempts(settings, n: int):
    sources = {k: dict(v) for k, v in settings.SOURCES.items()}
    sources["taobao"]["max_attempts"] = n
    settings.SOURCES = sources


def test_truncated_pool_pages_lose_no_product(sandbox, settings, no_sleep, django_capture_on_commit_callbacks):
    _faults(settings, truncate_pages=True)
    job = run_job(django_capture_on_commit_callbacks, "pool", pages=3, page_size=10)
    # Each page holds one row fewer than asked; the next page starts right after it.
    assert job.status == SyncStatus.DONE and job.created_count == 27
    assert set(Product.objects.values_list("external_id", flat=True)) == set(hot_ids("taobao", 27))


def test_truncated_order_pages_are_followed_to_the_end_of_the_window(sandbox, settings, no_sleep,
                                                                    django_capture_on_commit_callbacks):
    orders = orders_over("taobao", 2, per_hour=3)
    _faults(settings, truncate_pages=True, has_more_lies=True)
    job = run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=2, minutes=30),
                  page_size=2)
    assert job.status == SyncStatus.DONE and job.created_count == len(orders) == 6
    assert OrderReport.objects.count() == 6


@pytest.mark.parametrize("fault", [{"error_5xx_every": 2}, {"rate_limit_every": 2}])
def test_a_flaky_source_is_retried_and_the_job_counts_stay_exact(sandbox, settings, no_sleep,
                                                                 django_capture_on_commit_callbacks, fault):
    orders = orders_over("taobao", 4)
    _faults(settings, **fault)
    pool = run_job(django_capture_on_commit_callbacks, "pool", pages=4, page_size=10)
    pulled = run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=5))
    assert pool.status == SyncStatus.DONE and pool.created_count == Product.objects.count() == 40
    assert pulled.status == SyncStatus.DONE and pulled.created_count == OrderReport.objects.count() == len(orders)
    assert no_sleep  # the client backed off before trying again


def test_when_the_client_gives_up_the_task_retries_the_part(sandbox, settings, no_sleep,
                                                           django_capture_on_commit_callbacks):
    _client_attempts(settings, 1)  # every 5xx reaches the task
    _faults(settings, error_5xx_every=2)
    job = run_job(django_capture_on_commit_callbacks, "pool", pages=4, page_size=10)
    assert job.status == SyncStatus.DONE and job.created_count == 40
    assert job.retries >= 1 and "503" in job.last_error


def test_a_source_that_stays_down_fails_the_job_and_a_resume_finishes_it(sandbox, settings, no_sleep,
                                                                       django_capture_on_commit_callbacks):
    orders = orders_over("taobao", 4)
    _client_attempts(settings, 1)
    _faults(settings, error_5xx_every=1)
    job = run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=5))
    assert job.status == SyncStatus.FAILED and job.done == 0 and "503" in job.last_error
    assert orders_checkpoint("taobao") is None and not OrderReport.objects.exists()
    _faults(settings)
    with django_capture_on_commit_callbacks(execute=True):
        sync_job_resume(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == SyncStatus.DONE and job.created_count == OrderReport.objects.count() == len(orders)
