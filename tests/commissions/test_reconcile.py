"""Reconciliation: our commission lines of an outside source against its day report, and our
payments and refunds against the payment gateway's signed statement (对账单) — through the
real clients and the in-process sandbox, its faults dropping and altering rows."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from affiliates.models import Product
from affiliates.sandbox import catalog
from affiliates.sandbox.models import SandboxOrder
from affiliates.sandbox.services import sandbox_order_create, sandbox_order_finish, sandbox_order_settle
from affiliates.sources.values import CN_TZ
from commissions.models import CommissionLine, LineStatus
from commissions.reconcile import services
from commissions.reconcile.models import ItemKind, ReconciliationItem, ReconciliationRun, RunKind, RunStatus
from core.errors import InvalidInput
from orders import services as order_services
from orders.models import Click, Refund
from orders.payments import statement_session
from showcase import services as showcase_services
from showcase.tracking import Via
from tests.affiliates import sandbox_transport
from tests.affiliates.sandbox_transport import TESTSERVER, DjangoTestAdapter
from tests.affiliates.sync.helpers import hot_ids, run_job
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import UserFactory
from tests.orders.helpers import notify_params, pay, place, shop_product, shopper
from tests.showcase.helpers import creator_with_rights

pytestmark = pytest.mark.django_db
sandbox, no_sleep = sandbox_transport.sandbox, sandbox_transport.no_sleep  # the in-process sandbox fixtures

def cn_day(moment):
    return moment.astimezone(CN_TZ).date()


def bought(source: str, creator, *, minutes_ago: int = 30) -> SandboxOrder:
    """A shopper follows the creator's showcase card to the source's item and buys it there."""
    taken = Product.objects.filter(source=source).count()
    product = ProductFactory(source=source, external_id=hot_ids(source, 50)[taken])
    showcase_services.showcase_item_add(owner=creator, product_id=product.pk)
    click = order_services.click_create(product_id=product.pk, via=Via(channel="showcase", creator_id=creator.pk),
                                        shopper=UserFactory())
    Click.objects.filter(pk=click.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return sandbox_order_create(source=source, external_id=product.external_id, click_id=click.id,
                                at=timezone.now() - timedelta(minutes=minutes_ago - 1))


def pull(capture, source: str) -> None:
    """The order-report sync, as beat runs it: the commission lines follow the reports."""
    run_job(capture, "orders", source, since=timezone.now() - timedelta(hours=2))


def ref(order: SandboxOrder) -> str:
    """A JD order's reference (JD reports the sandbox's line id; Vipshop reports the goods id)."""
    return f"{order.source}:{order.order_id}/{order.line_id}"


def line_of(order: SandboxOrder) -> CommissionLine:
    return CommissionLine.objects.get(source=order.source, order_number=order.order_id)


def items(run, kind=None) -> list[ReconciliationItem]:
    qs = run.items.order_by("order_ref")
    return list(qs.filter(kind=kind) if kind else qs)


@pytest.fixture
def synced(sandbox, django_capture_on_commit_callbacks):
    """Two JD sales of one creator, pulled into commission lines: (orders, day)."""
    creator = creator_with_rights()
    orders = [bought("jd", creator, minutes_ago=40), bought("jd", creator, minutes_ago=30)]
    pull(django_capture_on_commit_callbacks, "jd")
    assert all(line_of(o).commission_fen == o.estimated_commission_fen for o in orders)
    return orders, cn_day(orders[0].paid_at)


# --- outside sources ------------------------------------------------------------------------------

@pytest.mark.parametrize("source", ["jd", "kaola", "vip", "suning"])
def test_a_clean_day_reconciles_with_zero_items(source, sandbox, django_capture_on_commit_callbacks):
    creator = creator_with_rights()
    orders = [bought(source, creator, minutes_ago=50), bought(source, creator, minutes_ago=20)]
    pull(django_capture_on_commit_callbacks, source)
    day = cn_day(orders[0].paid_at)
    run = services.reconcile_source(source=source, day=day)
    assert run.status == RunStatus.DONE and items(run) == []
    assert (run.ours_count, run.theirs_count, run.matched_count) == (2, 2, 2)
    total = sum(o.estimated_commission_fen for o in orders)
    assert run.ours_total_fen == run.theirs_total_fen == total
    # Every request went through the source's own gateway, signed by its client.
    gateway_paths = {"jd": "/sandbox/jd/routerjson", "kaola": "/sandbox/kaola/zhuanke/api", "vip": "/sandbox/vip/",
                     "suning": "/sandbox/suning/api/http/sopRequest/suning.netalliance.order.query"}
    assert ("POST", gateway_paths[source]) in sandbox.calls


@pytest.mark.parametrize("source", ["jd", "kaola", "vip", "suning"])
def test_a_days_report_lists_the_orders_placed_that_day_as_they_stand_now(
        source, sandbox, django_capture_on_commit_callbacks):
    creator = creator_with_rights()
    order = bought(source, creator, minutes_ago=26 * 60)  # placed yesterday (or the day before)
    sandbox_order_finish(order=order, at=timezone.now() - timedelta(minutes=10))  # changed today
    pull(django_capture_on_commit_callbacks, source)
    day = cn_day(order.paid_at)
    assert cn_day(line_of(order).paid_at) == day < cn_day(timezone.now())
    run = services.reconcile_source(source=source, day=day)
    assert (run.ours_count, run.theirs_count, run.matched_count, run.item_count) == (1, 1, 1, 0)
    assert services.reconcile_source(source=source, day=cn_day(timezone.now())).theirs_count == 0


def test_a_line_clawed_back_to_nothing_agrees_with_a_report_that_closed_the_order():
    import datetime

    from commissions.reconcile.compare import compare_source
    from commissions.reconcile.reports import TheirRow
    from commissions.reconcile.selectors import OurLine

    day = datetime.date(2026, 12, 1)
    paid = datetime.datetime(2026, 12, 1, 10, tzinfo=CN_TZ)
    ours = {"jd:1/1": OurLine("jd:1/1", 0, "clawed_back", paid), "jd:2/2": OurLine("jd:2/2", 0, "cancelled", paid)}
    theirs = {ref: TheirRow(ref, 0, 0, "invalid", day, "c") for ref in ours}
    result = compare_source(day=day, ours=ours, ours_elsewhere={}, theirs=theirs)
    assert (result.matched, result.findings) == (2, [])


def test_settled_commission_that_matches_is_clean_and_a_settlement_we_have_not_seen_is_a_mismatch(
        synced, django_capture_on_commit_callbacks):
    (first, second), day = synced
    for order in (first, second):
        sandbox_order_finish(order=order, at=timezone.now() - timedelta(minutes=10))
        sandbox_order_settle(order=order, at=timezone.now() - timedelta(minutes=5))
    pull(django_capture_on_commit_callbacks, "jd")
    assert line_of(first).status == LineStatus.SETTLED
    assert items(services.reconcile_source(source="jd", day=day)) == []
    # The source settles a third order after our last pull: the amounts agree, the settlement does not.
    third = bought("jd", first_creator(first), minutes_ago=25)
    pull(django_capture_on_commit_callbacks, "jd")
    sandbox_order_finish(order=third, at=timezone.now() - timedelta(minutes=2))
    sandbox_order_settle(order=third, at=timezone.now() - timedelta(minutes=1))
    (item,) = items(services.reconcile_source(source="jd", day=day))
    assert (item.order_ref, item.kind) == (ref(third), ItemKind.MISMATCH)
    assert (item.ours_fen, item.theirs_fen, item.difference_fen) == (0, third.estimated_commission_fen,
                                                                      third.estimated_commission_fen)
    assert [fact[0] for fact in item.details] == ["settled", "status"]


def first_creator(order: SandboxOrder):
    return line_of(order).creator


def test_a_row_the_source_drops_from_its_report_is_missing_there(synced, settings):
    (dropped, kept), day = synced
    settings.SANDBOX_FAULTS = {"jd": {"recon_drop": [dropped.order_id]}}
    run = services.reconcile_source(source="jd", day=day)
    (item,) = items(run)
    commission = line_of(dropped).commission_fen
    assert (item.order_ref, item.kind) == (ref(dropped), ItemKind.MISSING_THERE)
    assert (item.ours_fen, item.theirs_fen, item.difference_fen) == (commission, None, -commission)
    assert (run.matched_count, run.missing_there_count, run.ours_count, run.theirs_count) == (1, 1, 2, 1)


def test_the_faults_alter_only_the_day_report_so_the_sync_keeps_the_true_figures(
        synced, settings, django_capture_on_commit_callbacks):
    (altered, _), day = synced
    settings.SANDBOX_FAULTS = {"jd": {"recon_alter": {altered.order_id: -37}, "recon_drop_every": 1}}
    sandbox_order_finish(order=altered, at=timezone.now() - timedelta(minutes=1))
    pull(django_capture_on_commit_callbacks, "jd")  # the feed by update time: untouched
    assert line_of(altered).commission_fen == altered.estimated_commission_fen


def test_an_altered_amount_is_a_mismatch_with_the_difference_to_the_fen(synced, settings):
    (altered, _), day = synced
    settings.SANDBOX_FAULTS = {"jd": {"recon_alter": {altered.order_id: -37}}}
    run = services.reconcile_source(source="jd", day=day)
    (item,) = items(run)
    ours = line_of(altered).commission_fen
    assert (item.order_ref, item.kind) == (ref(altered), ItemKind.MISMATCH)
    assert (item.ours_fen, item.theirs_fen, item.difference_fen) == (ours, ours - 37, -37)
    assert run.theirs_total_fen - run.ours_total_fen == -37
    assert "commission" in item.details[0]


def test_an_order_we_have_that_the_source_lacks_is_missing_there(synced):
    (lost, _), day = synced
    SandboxOrder.objects.filter(pk=lost.pk).delete()  # the source has no such order at all
    (item,) = items(services.reconcile_source(source="jd", day=day))
    assert (item.order_ref, item.kind, item.theirs_fen) == (ref(lost), ItemKind.MISSING_THERE, None)


def test_an_order_the_source_reports_that_we_never_booked_is_missing_here(synced):
    (first, _), day = synced
    unseen = bought("jd", first_creator(first), minutes_ago=15)  # bought after our last pull
    (item,) = items(services.reconcile_source(source="jd", day=day))
    assert (item.order_ref, item.kind) == (ref(unseen), ItemKind.MISSING_HERE)
    assert (item.ours_fen, item.theirs_fen, item.difference_fen) == (
        None, unseen.estimated_commission_fen, unseen.estimated_commission_fen)
    assert item.details == [["no_line", unseen.click_id]]


def test_rerunning_a_day_replaces_its_items(synced, settings):
    (altered, _), day = synced
    settings.SANDBOX_FAULTS = {"jd": {"recon_alter": {altered.order_id: 5}}}
    first = services.reconcile_source(source="jd", day=day)
    again = services.reconcile_source(source="jd", day=day)
    assert again.pk == first.pk and ReconciliationRun.objects.count() == 1
    assert ReconciliationItem.objects.count() == 1 and again.mismatch_count == 1
    settings.SANDBOX_FAULTS = {}
    clean = services.reconcile_source(source="jd", day=day)
    assert clean.pk == first.pk and clean.mismatch_count == 0 and not ReconciliationItem.objects.exists()


def test_a_source_that_cannot_answer_fails_the_run_with_its_reason_and_no_items(synced, settings, no_sleep):
    (altered, _), day = synced
    settings.SANDBOX_FAULTS = {"jd": {"recon_alter": {altered.order_id: 5}}}
    assert services.reconcile_source(source="jd", day=day).mismatch_count == 1
    settings.SANDBOX_FAULTS = {"jd": {"error_5xx_every": 1}}
    run = services.reconcile_source(source="jd", day=day)
    assert run.status == RunStatus.FAILED and "503" in run.error
    assert not run.items.exists() and run.mismatch_count == 0


def test_a_day_not_begun_or_a_source_without_lines_is_refused_naming_the_field(sandbox):
    tomorrow = cn_day(timezone.now()) + timedelta(days=1)
    with pytest.raises(InvalidInput) as error:
        services.reconcile_source(source="jd", day=tomorrow)
    assert error.value.field == "day"
    with pytest.raises(InvalidInput) as error:
        services.reconcile_source(source="taobao", day=tomorrow)
    assert error.value.field == "source"
    assert not ReconciliationRun.objects.exists()


# --- native payments --------------------------------------------------------------------------------

@pytest.fixture
def gateway(settings, db):
    """The statement client talks to the in-process sandbox gateway."""
    settings.PAYMENT_SANDBOX_BASE_URL = TESTSERVER
    adapter = DjangoTestAdapter()
    statement_session().mount(f"{TESTSERVER}/", adapter)
    try:
        yield adapter
    finally:
        statement_session().adapters.pop(f"{TESTSERVER}/", None)


@pytest.fixture
def paid_day(gateway, django_capture_on_commit_callbacks):
    """Two paid orders, one partly refunded: (orders, refund, day)."""
    product, (sku,) = shop_product(stock=10, price_fen=1000)
    with django_capture_on_commit_callbacks(execute=True):
        orders = [pay(place(shopper(), product, sku, quantity=2)), pay(place(shopper(), product, sku))]
        order_services.order_refund_request(order=orders[0], actor=orders[0].shopper, reason="部分退款",
                                            amount="3.50")
        order_services.order_refund(order=orders[0], actor=orders[0].shop.owner)
    refund = Refund.objects.get(order=orders[0])
    assert refund.status == "succeeded" and refund.amount_fen == 350
    return orders, refund, cn_day(timezone.now())


def test_a_clean_payments_day_reconciles_with_zero_items(paid_day, gateway):
    orders, refund, day = paid_day
    run = services.reconcile_payments(day=day)
    assert run.status == RunStatus.DONE and items(run) == []
    assert (run.kind, run.source, run.ours_count, run.theirs_count, run.matched_count) == (
        RunKind.PAYMENTS, "sandbox", 3, 3, 3)
    assert run.ours_total_fen == run.theirs_total_fen == 2000 + 1000 - 350
    assert ("GET", "/pay/sandbox/statement/") in gateway.calls


def test_a_payment_the_statement_lacks_is_missing_there_and_a_refund_amount_mismatch_shows_its_difference(
        paid_day, settings):
    orders, refund, day = paid_day
    payment = orders[1].payments.get()
    settings.SANDBOX_FAULTS = {"payment": {"recon_drop": [payment.number], "recon_alter": {refund.number: 50}}}
    run = services.reconcile_payments(day=day)
    missing, mismatch = items(run, ItemKind.MISSING_THERE), items(run, ItemKind.MISMATCH)
    assert [(i.order_ref, i.ours_fen, i.theirs_fen, i.difference_fen) for i in missing] == [
        (f"pay:{payment.number}", 1000, None, -1000)]
    assert [(i.order_ref, i.ours_fen, i.theirs_fen, i.difference_fen) for i in mismatch] == [
        (f"refund:{refund.number}", 350, 400, 50)]
    assert (run.matched_count, run.item_count) == (1, 2)


def test_money_the_gateway_took_that_our_books_refused_is_missing_here(paid_day):
    orders, refund, day = paid_day
    product, (sku,) = shop_product(stock=5, price_fen=800)
    order = place(shopper(), product, sku)
    payment = order_services.payment_start(order=order)
    # The gateway says it took a different amount: we refuse the notify, the money is still gone.
    ok, outcome = order_services.payment_notify_handle(
        gateway_name="sandbox", params=notify_params(payment, amount_fen=799, notify_id="n-odd", trade_no="T-ODD"))
    assert (ok, outcome) == (False, "amount_mismatch")
    (item,) = items(services.reconcile_payments(day=day))
    assert (item.order_ref, item.kind, item.ours_fen, item.theirs_fen) == (
        f"pay:{payment.number}", ItemKind.MISSING_HERE, None, 799)


class TamperingAdapter(DjangoTestAdapter):
    """The statement arrives changed on the way: ``tamper(body) -> body``."""

    def __init__(self, tamper):
        super().__init__()
        self.tamper = tamper

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        if "/pay/sandbox/statement/" in request.url and response.status_code == 200:
            import json

            response._content = json.dumps(self.tamper(response.json())).encode()
        return response


@pytest.mark.parametrize("tamper", [
    pytest.param(lambda body: {**body, "rows": body["rows"].replace(",1000\n", ",1\n")}, id="altered-rows"),
    pytest.param(lambda body: {**body, "sign": "0" * 64}, id="forged-sign"),
])
def test_a_forged_or_altered_statement_is_refused_and_the_run_fails_without_items(paid_day, settings, tamper):
    orders, refund, day = paid_day
    settings.SANDBOX_FAULTS = {"payment": {"recon_alter": {refund.number: 1}}}
    assert services.reconcile_payments(day=day).mismatch_count == 1
    statement_session().mount(f"{TESTSERVER}/", TamperingAdapter(tamper))
    run = services.reconcile_payments(day=day)
    assert run.status == RunStatus.FAILED and "bad signature" in run.error
    assert not run.items.exists()


def test_the_statement_endpoint_refuses_a_request_not_signed_with_the_merchant_secret(client, paid_day):
    from orders.payments import sign

    params = {"bill_date": paid_day[2].isoformat(), "nonce": "n1", "timestamp": "2026-12-01 10:00:00"}
    forged = {**params, "sign": sign(params, "not-the-secret")}
    answer = client.get(reverse("orders:sandbox_statement"), forged)
    assert answer.status_code == 403 and "rows" not in answer.json()


def test_rerunning_a_payments_day_replaces_its_items(paid_day, settings):
    orders, refund, day = paid_day
    settings.SANDBOX_FAULTS = {"payment": {"recon_drop": [refund.number]}}
    run = services.reconcile_payments(day=day)
    assert services.reconcile_payments(day=day).pk == run.pk and ReconciliationItem.objects.count() == 1
    settings.SANDBOX_FAULTS = {}
    assert services.reconcile_payments(day=day).item_count == 0 and not ReconciliationItem.objects.exists()


# --- schedule, command, admin, demo ------------------------------------------------------------------

def test_both_reconciliations_run_daily_for_yesterday_in_beijing_time(sandbox, gateway):
    from django_celery_beat.models import PeriodicTask

    from commissions.reconcile.tasks import reconcile_payments_yesterday_task, reconcile_sources_yesterday_task

    call_command("setup_schedules", stdout=io.StringIO())
    tasks = {t.task: t for t in PeriodicTask.objects.filter(task__startswith="reconcile.")}
    assert set(tasks) == {"reconcile.sources_yesterday", "reconcile.payments_yesterday"}
    assert all(t.crontab is not None and str(t.crontab.timezone) == "Asia/Shanghai" for t in tasks.values())
    assert reconcile_sources_yesterday_task() == {s: "done" for s in ("jd", "kaola", "vip", "suning")}
    assert reconcile_payments_yesterday_task() == "done"
    yesterday = cn_day(timezone.now()) - timedelta(days=1)
    assert set(ReconciliationRun.objects.values_list("day", flat=True)) == {yesterday}


def test_a_scheduled_run_that_finds_differences_tells_the_finance_group(synced, settings):
    from notices.models import InboxMessage

    (altered, _), day = synced
    finance = UserFactory(is_staff=True)
    finance.groups.add(Group.objects.get(name="Finance"))
    settings.SANDBOX_FAULTS = {"jd": {"recon_alter": {altered.order_id: -1}}}
    run = services.reconcile_source(source="jd", day=day)
    assert services.reconciliation_alert(run) >= 1
    message = InboxMessage.objects.get(recipient=finance)
    assert message.kind == "reconciliation.found" and str(run.pk) in message.link


def test_the_command_reports_the_findings_and_exits_1_when_the_day_does_not_balance(synced, settings):
    (altered, _), day = synced
    out = io.StringIO()
    call_command("reconcile", "--source", "jd", "--day", day.isoformat(), stdout=out)  # in LANGUAGE_CODE
    assert "一致 2 笔" in out.getvalue()
    settings.SANDBOX_FAULTS = {"jd": {"recon_alter": {altered.order_id: -37}}}
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("reconcile", "--source", "jd", "--day", day.isoformat(), stdout=out)
    assert exited.value.code == 1 and "差额 -37 分" in out.getvalue() and ref(altered) in out.getvalue()


def test_the_command_reconciles_the_payments(paid_day):
    out = io.StringIO()
    call_command("reconcile", "--payments", "--day", paid_day[2].isoformat(), stdout=out)
    assert "一致 3 笔" in out.getvalue()


@pytest.fixture
def finance_client(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Finance"))
    client.force_login(user)
    return client


def test_admin_lists_runs_with_counts_filters_items_by_kind_and_edits_nothing(finance_client, synced, settings):
    (altered, kept), day = synced
    settings.SANDBOX_FAULTS = {"jd": {"recon_alter": {altered.order_id: -37}, "recon_drop": [kept.order_id]}}
    run = services.reconcile_source(source="jd", day=day)
    page = finance_client.get(reverse("admin:reconcile_reconciliationrun_changelist")).content.decode()
    assert day.strftime("%Y") in page and reverse("admin:reconcile_reconciliationrun_start") in page
    items_url = reverse("admin:reconcile_reconciliationitem_changelist")
    mismatches = finance_client.get(items_url, {"kind__exact": "mismatch"}).content.decode()
    assert ref(altered) in mismatches and ref(kept) not in mismatches
    of_run = finance_client.get(items_url, {"run__id__exact": run.pk})
    assert of_run.status_code == 200 and ref(kept) in of_run.content.decode()
    item = run.items.get(kind=ItemKind.MISMATCH)
    change_url = reverse("admin:reconcile_reconciliationitem_change", args=[item.pk])
    finance_client.post(change_url, {"ours_fen": "0", "difference_fen": "0", "order_ref": "x"})
    item.refresh_from_db()
    assert (item.difference_fen, item.order_ref) == (-37, ref(altered))
    assert finance_client.get(reverse("admin:reconcile_reconciliationrun_add")).status_code == 403
    run_page = finance_client.get(reverse("admin:reconcile_reconciliationrun_change", args=[run.pk]))
    assert run_page.status_code == 200 and ref(altered) in run_page.content.decode()
    assert "佣金：我方" in run_page.content.decode()  # the note, in the reader's language


def test_admin_starts_a_run_for_a_source_and_day(finance_client, synced, django_capture_on_commit_callbacks):
    (_, _), day = synced
    start = reverse("admin:reconcile_reconciliationrun_start")
    assert "京东 佣金" in finance_client.get(start).content.decode()
    with translation.override("en"):
        assert "Commission of JD" in finance_client.get(start, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = finance_client.post(start, {"target": "source:jd", "day": day.isoformat()})
    assert answer.status_code == 302
    run = ReconciliationRun.objects.get(kind="source", source="jd", day=day)
    assert run.status == RunStatus.DONE and run.matched_count == 2 and run.started_by is not None
    refused = finance_client.post(start, {"target": "source:jd", "day": (day + timedelta(days=2)).isoformat()})
    assert refused.status_code == 200 and ReconciliationRun.objects.count() == 1


def test_admin_start_needs_the_change_permission(client, synced):
    viewer = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_reconciliationrun"))
    client.force_login(viewer)
    assert client.get(reverse("admin:reconcile_reconciliationrun_changelist")).status_code == 200
    assert client.get(reverse("admin:reconcile_reconciliationrun_start")).status_code == 403


def test_notes_read_in_english_and_chinese(synced, settings):
    (altered, _), day = synced
    settings.SANDBOX_FAULTS = {"jd": {"recon_alter": {altered.order_id: -37}}}
    item = items(services.reconcile_source(source="jd", day=day))[0]
    with translation.override("en"):
        assert item.note.startswith("commission ¥")
    with translation.override("zh-hans"):
        assert "佣金" in item.note


def test_the_demo_hook_makes_one_jd_reconciliation_with_exactly_one_mismatch(settings):
    from commissions.reconcile.demo_hook import DEMO_ORDER_ID, DEMO_SHORTFALL_FEN, reconcile_demo
    from tests.affiliates.sandbox_transport import point_sources_at

    point_sources_at(settings, settings.SANDBOX_BASE_URL.removesuffix("/sandbox"))  # same host, no rate waits
    creator = creator_with_rights()
    item = next(it for it in map(lambda i: catalog.item("jd", i), catalog.search("jd"))
                if it.price_fen * it.commission_rate_bp >= 500 * 10_000)  # a pool product as the import made it
    ProductFactory(source="jd", external_id=item.external_id, price_fen=item.price_fen,
                   commission_rate_bp=item.commission_rate_bp)
    for _ in range(2):  # idempotent: the second call reconciles the same day again
        run = reconcile_demo(creator=creator, out=io.StringIO())
        (item,) = items(run)
        assert (item.kind, item.difference_fen, item.order_ref) == (
            ItemKind.MISMATCH, -DEMO_SHORTFALL_FEN, f"jd:{DEMO_ORDER_ID}/{DEMO_ORDER_ID}")
    assert ReconciliationRun.objects.count() == 1 and SandboxOrder.objects.count() == 1
