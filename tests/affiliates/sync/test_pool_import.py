"""Pool import: N pages of a source's hot-seller list land in Product, once, set-based."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from affiliates.models import Product
from affiliates.sync.models import SyncJobPart, SyncStatus
from affiliates.sync.selectors import sync_sources

from .helpers import hot_ids, run_job

pytestmark = pytest.mark.django_db


def _product_inserts(ctx) -> list[str]:
    table = Product._meta.db_table
    return [q["sql"] for q in ctx.captured_queries
            if q["sql"].lstrip().upper().startswith("INSERT") and table in q["sql"]]


@pytest.mark.parametrize("source", ["taobao", "jd", "kaola", "vip", "suning"])
def test_every_source_imports_exactly_the_pages_asked(sandbox, django_capture_on_commit_callbacks, source):
    if source not in sync_sources():
        pytest.skip(f"no {source} client yet")
    job = run_job(django_capture_on_commit_callbacks, "pool", source, pages=3, page_size=10)
    assert job.status == SyncStatus.DONE and (job.done, job.total) == (3, 3)
    assert job.created_count == 30 and (job.updated_count, job.unchanged_count) == (0, 0)
    stored = set(Product.objects.filter(source=source).values_list("external_id", flat=True))
    assert stored == set(hot_ids(source, 30))
    assert list(SyncJobPart.objects.filter(job=job).values_list("number", flat=True)) == [0, 1, 2]


def test_one_task_per_page_and_one_gateway_call_per_page(sandbox, django_capture_on_commit_callbacks):
    run_job(django_capture_on_commit_callbacks, "pool", pages=4, page_size=25)
    gateway_calls = [path for method, path in sandbox.calls if path.endswith("/router/rest")]
    assert len(gateway_calls) == 4
    assert Product.objects.count() == 100


def test_importing_unchanged_pages_again_writes_no_product_row(sandbox, django_capture_on_commit_callbacks):
    run_job(django_capture_on_commit_callbacks, "pool", pages=3, page_size=20)
    before = dict(Product.objects.values_list("pk", "updated_at"))
    with CaptureQueriesContext(connection) as ctx:
        again = run_job(django_capture_on_commit_callbacks, "pool", pages=3, page_size=20)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 60)
    assert _product_inserts(ctx) == []
    # Every write path sets updated_at: equal stamps mean no row was rewritten.
    assert dict(Product.objects.values_list("pk", "updated_at")) == before


def test_the_top_of_the_hot_list_becomes_the_recommended_set(sandbox, settings, django_capture_on_commit_callbacks):
    settings.SYNC_RECOMMENDED_LIMIT = 15
    run_job(django_capture_on_commit_callbacks, "pool", pages=3, page_size=10)
    recommended = set(Product.objects.filter(is_recommended=True).values_list("external_id", flat=True))
    assert recommended == set(hot_ids("taobao", 15))
    assert Product.objects.filter(is_recommended=False).count() == 15


def test_a_product_that_left_the_hot_list_is_no_longer_recommended(sandbox, settings,
                                                                   django_capture_on_commit_callbacks):
    settings.SYNC_RECOMMENDED_LIMIT = 10
    run_job(django_capture_on_commit_callbacks, "pool", pages=1, page_size=10)
    Product.objects.filter(external_id=hot_ids("taobao", 1)[0]).update(is_recommended=False)
    stale = Product.objects.exclude(external_id__in=hot_ids("taobao", 10)).count()
    assert stale == 0
    outsider = Product.objects.order_by("pk").first()
    Product.objects.filter(pk=outsider.pk).update(external_id="600000000001", is_recommended=True)
    run_job(django_capture_on_commit_callbacks, "pool", pages=1, page_size=10)
    assert not Product.objects.get(external_id="600000000001").is_recommended
    assert set(Product.objects.filter(is_recommended=True).values_list("external_id", flat=True)) == \
        set(hot_ids("taobao", 10))


def test_page_size_is_capped_at_the_source_maximum(sandbox, django_capture_on_commit_callbacks):
    job = run_job(django_capture_on_commit_callbacks, "pool", pages=1, page_size=10_000)
    assert job.params["page_size"] == 100
    assert Product.objects.count() == 100
