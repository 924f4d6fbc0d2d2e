"""``manage.py sync_source``: the same jobs from a terminal, with a progress bar and a summary."""
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from affiliates.models import Product
from affiliates.sync.models import OrderReport, SyncJob, SyncKind, SyncStatus
from affiliates.sync.services import sync_job_start, sync_part_run

from .helpers import orders_over

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    # The in-process sandbox answers through Django's middleware, which activates the default
    # language after each request: make English the default so the output reads in English.
    settings.LANGUAGE_CODE = "en"


def _run(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("sync_source", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_pool_import_shows_a_progress_bar_and_a_summary(sandbox):
    output = _run("taobao", "--pool", "3", "--page-size", "10")
    assert "3/3" in output and "page/s" in output  # tqdm: parts done and their rate
    assert "30 new, 0 changed, 0 same, 0 gone" in output
    assert "Done — 3/3 parts, 30 created, 0 updated, 0 unchanged, 0 marked unavailable" in output
    assert Product.objects.count() == 30


def test_no_kind_given_refreshes_products_and_pulls_orders(sandbox):
    orders_over("taobao", 2)
    _run("taobao", "--pool", "1", "--page-size", "5")
    output = _run("taobao", "--since", (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    assert "Product refresh: job" in output and "Order reports: job" in output
    assert OrderReport.objects.count() == 4
    kinds = set(SyncJob.objects.values_list("kind", flat=True))
    assert kinds == {SyncKind.POOL, SyncKind.PRODUCTS, SyncKind.ORDERS}


def test_an_interrupted_job_is_resumed_by_running_the_command_again(sandbox):
    job = sync_job_start(kind="pool", source="taobao", pages=3, page_size=10, enqueue=False)
    sync_part_run(job_id=job.pk, number=0)
    output = _run("taobao", "--pool", "3", "--page-size", "10")
    job.refresh_from_db()
    assert f"Resuming job #{job.pk} (1 of 3 parts already stored)" in output
    assert job.status == SyncStatus.DONE and job.created_count == 30 and SyncJob.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # the job is queued on commit, as from a terminal
def test_queue_hands_the_job_to_celery_and_follows_it(sandbox):
    output = _run("taobao", "--pool", "2", "--page-size", "10", "--queue")
    job = SyncJob.objects.get()
    assert job.status == SyncStatus.DONE and job.created_count == 20
    assert f"job #{job.pk} Done" in output


def test_unknown_sources_and_bad_times_are_refused_with_the_rule(sandbox):
    with pytest.raises(CommandError, match="Unknown source shop"):
        _run("shop", "--pool", "1")
    with pytest.raises(CommandError, match="--since"):
        _run("taobao", "--orders", "--since", "yesterday")
    with pytest.raises(CommandError, match="at least 1 page"):
        _run("taobao", "--pool", "0")


def test_a_failing_source_ends_the_command_with_an_error(sandbox, settings, no_sleep):
    sources = {k: dict(v) for k, v in settings.SOURCES.items()}
    sources["taobao"]["max_attempts"] = 1
    settings.SOURCES = sources
    settings.SANDBOX_FAULTS = {"taobao": {"error_5xx_every": 1}}
    with pytest.raises(CommandError, match="1 sync job"):
        _run("taobao", "--pool", "1")
    job = SyncJob.objects.get()
    assert job.status == SyncStatus.FAILED and "503" in job.last_error
