"""Native commission lines: the fee is taken to the fen, the rate is the click's, refunds shrink
the line pro rata, settlement after the holding period makes money available, a refund after it
is clawed back (a debt), the shop's proceeds follow the order, and the ledger always balances."""
import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from commissions.ledger import creator_account, ledger_check, ledger_post
from commissions.models import FeeRate, LedgerEntry, LedgerTransaction, LineStatus
from core.models import OutboxDelivery, OutboxEvent
from core.outbox import outbox_dispatch

from .helpers import complete, creator, creator_balances, line_of, refund, sale, settle_due, shop_balances

pytestmark = pytest.mark.django_db


def test_an_alliance_sale_earns_commission_minus_the_ten_percent_fee_as_pending_income(
        django_capture_on_commit_callbacks):
    me = creator()
    with django_capture_on_commit_callbacks(execute=True):
        order = sale(me, price_fen=9_999, rate_bp=2000, quantity=3)
    line = line_of(order)
    assert (line.commission_fen, line.fee_bp, line.fee_fen, line.net_fen) == (5999, 1000, 600, 5399)
    assert line.commission_fen == line.fee_fen + line.net_fen and line.status == LineStatus.ESTIMATED
    assert (line.source, line.channel, line.creator_id) == ("alliance", "showcase", me.pk)
    assert creator_balances(me.pk).pending_fen == 5399 and creator_balances(me.pk).available_fen == 0
    assert shop_balances(order.shop_id).pending_fen == 29_997 - 5999
    assert ledger_check(record=False).ok


def test_a_creators_own_shop_product_sold_on_their_showcase_earns_no_commission_line(
        django_capture_on_commit_callbacks):
    from tests.factories.affiliates import ShopFactory

    me = creator()
    with django_capture_on_commit_callbacks(execute=True):
        order = sale(me, shop=ShopFactory(owner=me), rate_bp=2000)
    assert line_of(order) is None
    assert shop_balances(order.shop_id).pending_fen == order.total_fen  # the whole sale is the shop's proceeds


def test_a_fee_rate_change_applies_to_sales_paid_after_it_only(django_capture_on_commit_callbacks):
    me = creator()
    with django_capture_on_commit_callbacks(execute=True):
        before = sale(me, price_fen=10_000, rate_bp=1000)
    FeeRate.objects.create(source="alliance", rate_bp=500, note="promotion")
    with django_capture_on_commit_callbacks(execute=True):
        after = sale(me, price_fen=10_000, rate_bp=1000)
    assert (line_of(before).fee_fen, line_of(after).fee_fen) == (100, 50)


def test_a_partial_refund_before_settlement_reduces_the_line_pro_rata_to_the_fen(django_capture_on_commit_callbacks):
    me = creator()
    with django_capture_on_commit_callbacks(execute=True):
        order = sale(me, price_fen=3333, rate_bp=1500, quantity=3)  # 9999 paid, commission 1500
    refund(order, django_capture_on_commit_callbacks, amount="33.33")
    line = line_of(order)
    assert line.commission_fen == 1000 and line.fee_fen + line.net_fen == 1000  # 1500 × 6666/9999
    assert creator_balances(me.pk).pending_fen == line.net_fen
    refund(order, django_capture_on_commit_callbacks)  # the rest
    line.refresh_from_db()
    assert (line.commission_fen, line.net_fen, line.status) == (0, 0, LineStatus.CANCELLED)
    assert creator_balances(me.pk).pending_fen == 0 and shop_balances(order.shop_id).pending_fen == 0
    assert ledger_check(record=False).ok


def test_commission_settles_after_the_holding_period_and_becomes_available(
        django_capture_on_commit_callbacks, settings):
    me = creator()
    with django_capture_on_commit_callbacks(execute=True):
        order = sale(me, price_fen=10_000, rate_bp=2000)
    complete(order, django_capture_on_commit_callbacks)
    assert settle_due() == 0  # still in its holding period
    assert shop_balances(order.shop_id).available_fen == 8000  # proceeds are the shop's once completed
    line = line_of(order)
    assert (line.settle_after - line.completed_at).days == settings.COMMISSION_HOLDING_DAYS
    type(line).objects.filter(pk=line.pk).update(settle_after=line.settle_after.replace(year=2000))
    assert settle_due() == 1 and settle_due() == 0
    line.refresh_from_db()
    assert line.status == LineStatus.SETTLED and line.settled_net_fen == 1800
    balances = creator_balances(me.pk)
    assert (balances.pending_fen, balances.available_fen) == (0, 1800)
    assert ledger_check(record=False).ok


def test_a_refund_after_settlement_is_clawed_back_and_leaves_a_debt_the_next_settlement_pays(
        django_capture_on_commit_callbacks, settings):
    settings.AFTER_SALE_DAYS = 30
    me = creator()
    with django_capture_on_commit_callbacks(execute=True):
        first = sale(me, price_fen=10_000, rate_bp=2000)
        second = sale(me, price_fen=10_000, rate_bp=2000)
    for order in (first, second):
        complete(order, django_capture_on_commit_callbacks)
    line = line_of(first)
    type(line).objects.filter(pk=line.pk).update(settle_after=line.settle_after.replace(year=2000))
    settle_due()
    # The creator asks to withdraw everything available: the money is held.
    ledger_post(key="test-hold", kind="withdrawal_hold", legs=[
        (creator_account(me.pk, "available"), -1800), (creator_account(me.pk, "held"), 1800)])
    refund(first, django_capture_on_commit_callbacks)  # after-sale refund of everything
    line.refresh_from_db()
    assert line.status == LineStatus.CLAWED_BACK and line.clawed_back_fen == 1800
    balances = creator_balances(me.pk)
    assert (balances.available_fen, balances.debt_fen, balances.withdrawable_fen) == (-1800, 1800, 0)
    assert LedgerTransaction.objects.filter(kind="clawback").count() == 1
    second_line = line_of(second)
    type(second_line).objects.filter(pk=second_line.pk).update(settle_after=second_line.settle_after.replace(year=2000))
    settle_due()  # the next settlement pays the debt off first
    assert creator_balances(me.pk).debt_fen == 0 and creator_balances(me.pk).available_fen == 0
    assert ledger_check(record=False).ok


def test_replaying_every_event_posts_nothing_twice(django_capture_on_commit_callbacks):
    me = creator()
    with django_capture_on_commit_callbacks(execute=True):
        order = sale(me, price_fen=5000, rate_bp=2000, quantity=2)
    refund(order, django_capture_on_commit_callbacks, quantity=1)
    complete(order, django_capture_on_commit_callbacks)
    before = (LedgerEntry.objects.count(), creator_balances(me.pk), shop_balances(order.shop_id))
    OutboxDelivery.objects.filter(receiver__startswith="commissions.").delete()
    for event in OutboxEvent.objects.all():
        outbox_dispatch(event_id=event.pk)
    assert (LedgerEntry.objects.count(), creator_balances(me.pk), shop_balances(order.shop_id)) == before
    assert ledger_check(record=False).ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database triggers are PostgreSQL's")
def test_the_database_refuses_to_change_or_delete_a_ledger_entry_or_to_commit_an_unbalanced_transaction(
        django_capture_on_commit_callbacks):
    me = creator()
    with django_capture_on_commit_callbacks(execute=True):
        sale(me)
    entry = LedgerEntry.objects.first()
    for attempt in (lambda: LedgerEntry.objects.filter(pk=entry.pk).update(amount_fen=1),
                    lambda: LedgerEntry.objects.filter(pk=entry.pk).delete()):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.create(transaction=entry.transaction, account=entry.account, amount_fen=1)
