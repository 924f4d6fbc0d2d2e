"""Order reports: pulled window by window, one row per (source, order id, line id), the checkpoint
moving only with stored windows, changes applied, and handed on through a signal."""
from datetime import timedelta

import pytest
from django.utils import timezone

from affiliates.sandbox.models import SandboxOrder
from affiliates.sandbox.services import sandbox_order_create, sandbox_order_finish, sandbox_order_settle
from affiliates.sync.models import OrderReport, OrderReportStatus, SyncCheckpoint, SyncJob, SyncStatus
from affiliates.sync.selectors import orders_checkpoint, sync_sources
from affiliates.sync.services import parts
from affiliates.sync.signals import order_reports_stored

from .helpers import hot_ids, orders_over, run_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    """Every order_reports_stored the test sees: (source, created_ids, updated_ids, redelivery)."""
    got = []

    def receiver(sender, source, created_ids, updated_ids, redelivery, **kwargs):
        got.append((source, sorted(created_ids), sorted(updated_ids), redelivery))

    order_reports_stored.connect(receiver, weak=False, dispatch_uid="test-received")
    yield got
    order_reports_stored.disconnect(dispatch_uid="test-received")


def _keys():
    return sorted(OrderReport.objects.values_list("source", "order_id", "line_id"))


def _expected(orders):
    return sorted((o.source, o.order_id, o.line_id) for o in orders)


@pytest.mark.parametrize("source", ["taobao", "jd", "kaola", "vip", "suning"])
def test_every_source_pulls_each_order_line_once(sandbox, django_capture_on_commit_callbacks, source):
    if source not in sync_sources():
        pytest.skip(f"no {source} client yet")
    orders = orders_over(source, 5, per_hour=3)
    job = run_job(django_capture_on_commit_callbacks, "orders", source, since=timezone.now() - timedelta(hours=6))
    assert job.status == SyncStatus.DONE and job.done == job.total
    assert job.created_count == len(orders) == 15
    # Each source names its lines its own way; every order arrives, each line once.
    assert sorted(OrderReport.objects.values_list("order_id", flat=True)) == sorted(o.order_id for o in orders)


def test_rows_carry_amounts_in_fen_rates_in_bp_and_the_click_id(sandbox, django_capture_on_commit_callbacks):
    order = sandbox_order_create(source="taobao", external_id=hot_ids("taobao", 1)[0], click_id="clk-abc",
                                 quantity=2, at=timezone.now() - timedelta(minutes=30))
    run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=1))
    row = OrderReport.objects.get()
    assert (row.order_id, row.line_id, row.click_id) == (order.order_id, order.line_id, "clk-abc")
    assert (row.paid_amount_fen, row.commission_rate_bp) == (order.paid_amount_fen, order.commission_rate_bp)
    assert row.estimated_commission_fen == order.estimated_commission_fen and row.quantity == 2
    assert row.status == OrderReportStatus.PAID and row.raw["order_id"] == order.order_id
    assert "secret" not in str(row.raw).lower()


def test_the_job_walks_the_sources_maximum_window(sandbox, django_capture_on_commit_callbacks):
    job = run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=7))
    assert job.params["window_seconds"] == 3 * 3600 and job.total == 3  # 3 h + 3 h + 1 h


def test_the_checkpoint_reaches_the_end_of_the_last_stored_window(sandbox, django_capture_on_commit_callbacks):
    orders_over("taobao", 4)
    job = run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=5))
    assert orders_checkpoint("taobao") == parts.window_of(job.params, job.total - 1)[1]
    assert job.position["checkpoint"] == orders_checkpoint("taobao").isoformat()


def test_the_checkpoint_advances_only_after_a_window_is_stored(sandbox, django_capture_on_commit_callbacks,
                                                               monkeypatch):
    orders = orders_over("taobao", 8)
    real_store = parts.order_reports_store
    calls = {"n": 0}

    def store_then_crash(**kwargs):
        calls["n"] += 1
        result = real_store(**kwargs)
        if calls["n"] == 2:
            raise RuntimeError("the database went away mid-window")
        return result

    monkeypatch.setattr(parts, "order_reports_store", store_then_crash)
    job = run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=9))
    assert job.status == SyncStatus.FAILED and job.done == 1 and job.total == 3
    first_end = parts.window_of(job.params, 0)[1]
    assert orders_checkpoint("taobao") == first_end
    # The second window's rows were rolled back with it: only the first window is stored.
    assert _keys() == _expected([o for o in orders if o.updated_at < first_end])

    monkeypatch.setattr(parts, "order_reports_store", real_store)
    from affiliates.sync.services import sync_job_resume

    with django_capture_on_commit_callbacks(execute=True):
        sync_job_resume(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == SyncStatus.DONE and job.created_count == len(orders)
    assert _keys() == _expected(orders)
    assert orders_checkpoint("taobao") == parts.window_of(job.params, 2)[1]


def test_a_checkpoint_never_moves_back(sandbox, django_capture_on_commit_callbacks):
    run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=2))
    reached = orders_checkpoint("taobao")
    run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(days=2))
    assert orders_checkpoint("taobao") >= reached


def test_the_next_pull_starts_from_the_checkpoint_with_an_overlap(sandbox, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.SYNC_ORDERS_OVERLAP_MINUTES = 30
    run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=2))
    reached = orders_checkpoint("taobao")
    job = run_job(django_capture_on_commit_callbacks, "orders")
    assert job.params["start"] == (reached - timedelta(minutes=30)).isoformat()


def test_repeated_and_overlapping_windows_never_duplicate_a_row(sandbox, django_capture_on_commit_callbacks,
                                                               received):
    orders = orders_over("taobao", 6)
    first = run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=7))
    again = run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=7))
    shifted = run_job(django_capture_on_commit_callbacks, "orders",
                      since=timezone.now() - timedelta(hours=5, minutes=30))
    assert first.created_count == len(orders)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, len(orders))
    assert (shifted.created_count, shifted.updated_count) == (0, 0)
    assert _keys() == _expected(orders) and OrderReport.objects.count() == len(orders)
    assert sum(len(c) for _, c, _, _ in received) == len(orders)  # handed on once


def test_a_changed_status_updates_the_row_and_is_handed_on(sandbox, django_capture_on_commit_callbacks,
                                                           received):
    order = sandbox_order_create(source="taobao", external_id=hot_ids("taobao", 3)[2], click_id="clk-1",
                                 at=timezone.now() - timedelta(hours=2))
    run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=3))
    row = OrderReport.objects.get()
    order = sandbox_order_finish(order=order, at=timezone.now() - timedelta(minutes=40))
    order = sandbox_order_settle(order=order, at=timezone.now() - timedelta(minutes=20))
    job = run_job(django_capture_on_commit_callbacks, "orders")
    assert (job.created_count, job.updated_count) == (0, 1)
    row.refresh_from_db()
    assert row.status == OrderReportStatus.SETTLED and row.settled_commission_fen == order.settled_commission_fen
    assert received[-1] == ("taobao", [], [row.pk], False)
    assert OrderReport.objects.count() == 1


def test_rows_are_handed_on_after_commit_and_then_no_longer_pending(sandbox, django_capture_on_commit_callbacks,
                                                                    received):
    orders_over("taobao", 2)
    run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=3))
    assert sorted(i for _, created, _, _ in received for i in created) == \
        sorted(OrderReport.objects.values_list("pk", flat=True))
    assert not OrderReport.objects.filter(handoff_pending=True).exists()


def test_a_failed_receiver_keeps_rows_pending_until_redelivered(sandbox, django_capture_on_commit_callbacks,
                                                                received):
    from affiliates.sync.services import order_reports_redeliver

    def broken(sender, **kwargs):
        raise RuntimeError("orders room is down")

    order_reports_stored.connect(broken, weak=False, dispatch_uid="test-broken")
    try:
        orders_over("taobao", 2)
        job = run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=3))
    finally:
        order_reports_stored.disconnect(dispatch_uid="test-broken")
    assert job.status == SyncStatus.DONE
    assert OrderReport.objects.filter(handoff_pending=True).count() == 4
    assert order_reports_redeliver(older_than=timedelta(0)) == 4
    assert received[-1][3] is True and sorted(received[-1][1]) == sorted(OrderReport.objects.values_list("pk", flat=True))
    assert not OrderReport.objects.filter(handoff_pending=True).exists()
    assert order_reports_redeliver(older_than=timedelta(0)) == 0


def test_an_older_report_never_overwrites_a_newer_one(sandbox):
    from affiliates.sources import get_client
    from affiliates.sync.services import order_reports_store

    order = sandbox_order_create(source="taobao", external_id=hot_ids("taobao", 1)[0],
                                 at=timezone.now() - timedelta(hours=2))
    client = get_client("taobao")
    window = dict(start=timezone.now() - timedelta(hours=2, minutes=50), end=timezone.now())
    paid_rows = client.order_reports(**window).rows
    sandbox_order_finish(order=order, at=timezone.now() - timedelta(minutes=10))
    finished_rows = client.order_reports(**window).rows
    order_reports_store(source="taobao", rows=finished_rows)
    late = order_reports_store(source="taobao", rows=paid_rows)
    assert late.unchanged == 1 and not late.updated_ids
    assert OrderReport.objects.get().status == OrderReportStatus.CONFIRMED


def test_an_unpaid_order_is_not_reported_until_paid(sandbox, django_capture_on_commit_callbacks):
    sandbox_order_create(source="taobao", external_id=hot_ids("taobao", 1)[0], status=SandboxOrder.Status.UNPAID,
                         at=timezone.now() - timedelta(hours=1))
    run_job(django_capture_on_commit_callbacks, "orders", since=timezone.now() - timedelta(hours=2))
    assert not OrderReport.objects.exists()
    assert SyncCheckpoint.objects.filter(source="taobao").exists()


def test_a_second_start_resumes_the_active_job_instead_of_adding_one(sandbox):
    from affiliates.sync.services import sync_job_start

    first = sync_job_start(kind="orders", source="taobao", since=timezone.now() - timedelta(hours=4), enqueue=False)
    second = sync_job_start(kind="orders", source="taobao", enqueue=False)
    assert first.pk == second.pk and SyncJob.objects.count() == 1
