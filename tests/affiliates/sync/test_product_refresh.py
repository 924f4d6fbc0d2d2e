"""Product refresh: the products creators use, one task per page of ids, set-based, silent when
nothing changed; products the source no longer returns become unavailable."""
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from affiliates.models import POOL_CONDITION, Product
from affiliates.sync import usage
from affiliates.sync.models import SyncStatus

from .helpers import run_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(sandbox, django_capture_on_commit_callbacks):
    """40 Taobao hot sellers in the pool, all recommended (so all in use)."""
    run_job(django_capture_on_commit_callbacks, "pool", pages=2, page_size=20)
    assert Product.objects.filter(is_recommended=True).count() == 40
    return list(Product.objects.order_by("pk"))


def _gateway_calls(sandbox) -> int:
    return sum(1 for _, path in sandbox.calls if path.endswith("/router/rest"))


def test_refresh_runs_one_detail_batch_per_page_of_ids(imported, sandbox, django_capture_on_commit_callbacks):
    before = _gateway_calls(sandbox)
    job = run_job(django_capture_on_commit_callbacks, "products", page_size=15)
    assert (job.total, job.done, job.status) == (3, 3, SyncStatus.DONE)  # 40 ids → pages of 15, 15, 10
    assert _gateway_calls(sandbox) - before == 3


def test_refreshing_unchanged_products_writes_nothing(imported, django_capture_on_commit_callbacks):
    before = dict(Product.objects.values_list("pk", "updated_at"))
    job = run_job(django_capture_on_commit_callbacks, "products")
    assert (job.created_count, job.updated_count, job.gone_count, job.unchanged_count) == (0, 0, 0, 40)
    assert dict(Product.objects.values_list("pk", "updated_at")) == before


def test_a_changed_price_at_the_source_is_written_back(imported, django_capture_on_commit_callbacks):
    drifted = imported[5]
    true_price = drifted.price_fen
    Product.objects.filter(pk=drifted.pk).update(price_fen=true_price + 1000, content_hash="stale")
    job = run_job(django_capture_on_commit_callbacks, "products")
    assert (job.updated_count, job.unchanged_count) == (1, 39)
    assert Product.objects.get(pk=drifted.pk).price_fen == true_price


def test_products_the_source_no_longer_returns_become_unavailable(imported, django_capture_on_commit_callbacks):
    gone = imported[:3]
    # Ids the source does not know any more (taken down, or left Taobao Union).
    for n, product in enumerate(gone):
        Product.objects.filter(pk=product.pk).update(external_id=f"60000000000{n + 1}")
    job = run_job(django_capture_on_commit_callbacks, "products")
    assert job.gone_count == 3 and job.unchanged_count == 37
    assert set(Product.objects.filter(available=False).values_list("pk", flat=True)) == {p.pk for p in gone}
    assert not Product.objects.filter(POOL_CONDITION, pk__in=[p.pk for p in gone]).exists()
    again = run_job(django_capture_on_commit_callbacks, "products")
    assert (again.gone_count, again.updated_count, again.unchanged_count) == (0, 0, 40)


def test_a_product_that_comes_back_is_available_again(imported, django_capture_on_commit_callbacks):
    product = imported[0]
    real_id = product.external_id
    Product.objects.filter(pk=product.pk).update(external_id="600000000009")
    run_job(django_capture_on_commit_callbacks, "products")
    assert not Product.objects.get(pk=product.pk).available
    Product.objects.filter(pk=product.pk).update(external_id=real_id)
    job = run_job(django_capture_on_commit_callbacks, "products")
    assert job.updated_count == 1
    assert Product.objects.get(pk=product.pk).available


def test_the_gate_result_follows_the_refresh(imported, django_capture_on_commit_callbacks):
    passing = Product.objects.filter(gate_passed=True).first()
    Product.objects.filter(pk=passing.pk).update(gate_passed=False, gate_failures=[{"rule": "stale"}],
                                                 content_hash="stale")
    run_job(django_capture_on_commit_callbacks, "products")
    refreshed = Product.objects.get(pk=passing.pk)
    assert refreshed.gate_passed and refreshed.gate_failures == []


def test_only_products_in_use_are_refreshed(imported, settings, django_capture_on_commit_callbacks):
    settings.SYNC_REFRESH_RECENT_DAYS = 3
    Product.objects.update(is_recommended=False, created_at=timezone.now() - timedelta(days=30))
    fresh = imported[:4]
    Product.objects.filter(pk__in=[p.pk for p in fresh]).update(created_at=timezone.now())
    job = run_job(django_capture_on_commit_callbacks, "products")
    assert job.params["products"] == 4 and job.unchanged_count == 4


def test_a_higher_room_can_add_its_own_rule_for_in_use(imported, django_capture_on_commit_callbacks):
    Product.objects.update(is_recommended=False, created_at=timezone.now() - timedelta(days=30))
    chosen = imported[7]
    usage.in_use_register("test-showcase", lambda: Q(pk=chosen.pk))
    try:
        job = run_job(django_capture_on_commit_callbacks, "products")
    finally:
        usage.in_use_unregister("test-showcase")
    assert job.params["products"] == 1 and job.unchanged_count == 1


def test_nothing_in_use_is_a_job_done_at_once(sandbox, django_capture_on_commit_callbacks):
    job = run_job(django_capture_on_commit_callbacks, "products")
    assert (job.status, job.total, job.done) == (SyncStatus.DONE, 0, 0)

