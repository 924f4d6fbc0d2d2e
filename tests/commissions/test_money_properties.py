"""The money rules hold for any amount, rate, fee and refund split (hypothesis): every line's
commission is fee + net to the fen, refunds only ever shrink it, the full refund leaves zero;
and over any run of pay / partial refund / complete / after-sale refund / settle, every ledger
transaction balances, the balances equal what the lines say, and no event posts twice."""
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import TestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from commissions.ledger import creator_balances, ledger_check
from commissions.models import CommissionLine, LedgerEntry, LineStatus, ShopProceeds
from commissions.services import pro_rata, settle_due, split
from core.models import OutboxDelivery, OutboxEvent
from core.money import apply_rate
from core.outbox import outbox_dispatch
from orders.models import OrderStatus

from .helpers import complete, creator, refund, sale


@given(total=st.integers(1, 10**8), rate=st.integers(0, 10_000), fee_bp=st.integers(0, 10_000),
       parts=st.lists(st.integers(1, 10**8), max_size=6))
def test_any_refund_split_keeps_commission_equal_to_fee_plus_net_and_only_shrinks_it(total, rate, fee_bp, parts):
    original = apply_rate(total, rate)
    refunded, commission = 0, original
    for part in parts:
        refunded = min(total, refunded + part)
        now = pro_rata(original, total - refunded, total)
        fee, net = split(now, fee_bp)
        assert fee + net == now and 0 <= fee <= now and net >= 0
        assert now <= commission
        commission = now
    assert pro_rata(original, 0, total) == 0  # the full refund leaves nothing
    assert pro_rata(original, total, total) == original


class LedgerMachine(RuleBasedStateMachine):
    """Orders of one creator moved through their life in any order the rules allow."""

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.creator = creator()
        self.orders = []

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @staticmethod
    def _capture(execute=True):
        return TestCase.captureOnCommitCallbacks(execute=execute)

    @rule(price=st.integers(1, 50_000), rate=st.integers(1, 5000), quantity=st.integers(1, 3))
    def pay(self, price, rate, quantity):
        with self._capture():
            self.orders.append(sale(self.creator, price_fen=price, rate_bp=rate, quantity=quantity))

    def _open(self, *statuses):
        for order in self.orders:
            order.refresh_from_db()
        return [o for o in self.orders if o.status in statuses]

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def partial_refund(self, data):
        candidates = [o for o in self._open(OrderStatus.PAID) if _left(o) > 1]
        if not candidates:
            return
        order = data.draw(st.sampled_from(candidates))
        fen = data.draw(st.integers(1, _left(order) - 1))
        refund(order, self._capture, amount=f"{fen // 100}.{fen % 100:02d}")

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def complete_one(self, data):
        candidates = self._open(OrderStatus.PAID)
        if candidates:
            complete(data.draw(st.sampled_from(candidates)), self._capture)

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), whole=st.booleans())
    def after_sale_refund(self, data, whole):
        candidates = [o for o in self._open(OrderStatus.COMPLETED) if _left(o) > 1]
        if not candidates:
            return
        order = data.draw(st.sampled_from(candidates))
        if whole:
            refund(order, self._capture)
        else:
            fen = data.draw(st.integers(1, _left(order) - 1))
            refund(order, self._capture, amount=f"{fen // 100}.{fen % 100:02d}")

    @rule()
    def settle(self):
        CommissionLine.objects.filter(status=LineStatus.ESTIMATED, settle_after__isnull=False).update(
            settle_after=_past())
        settle_due()

    @invariant()
    def every_transaction_balances(self):
        assert ledger_check(record=False).ok

    @invariant()
    def balances_equal_what_the_lines_say(self):
        lines = list(CommissionLine.objects.filter(creator=self.creator))
        for line in lines:
            assert line.commission_fen == line.fee_fen + line.net_fen
        balances = creator_balances(self.creator.pk)
        assert balances.pending_fen == sum(li.net_fen for li in lines if li.status == LineStatus.ESTIMATED)
        settled = [li for li in lines if li.status in (LineStatus.SETTLED, LineStatus.CLAWED_BACK)]
        # available = settled net − clawed back − withdrawn − held (no withdrawals here)
        assert balances.available_fen == sum(li.settled_net_fen - li.clawed_back_fen for li in settled)
        for proceeds in ShopProceeds.objects.all():
            assert proceeds.proceeds_fen == proceeds.paid_fen - proceeds.refunded_fen - proceeds.commission_fen

    @invariant()
    def no_event_posts_twice(self):
        before = LedgerEntry.objects.count()
        OutboxDelivery.objects.filter(receiver__startswith="commissions.").delete()
        for event_id in OutboxEvent.objects.values_list("pk", flat=True):
            OutboxEvent.objects.filter(pk=event_id).update(delivered_at=None)
            outbox_dispatch(event_id=event_id)
        assert LedgerEntry.objects.count() == before


def _left(order) -> int:
    return order.total_fen - sum(r.amount_fen for r in order.refunds.filter(status="succeeded"))


def _past():
    from django.utils import timezone

    return timezone.now() - timedelta(days=1)


@pytest.mark.django_db
def test_any_run_of_pay_refund_complete_and_settle_keeps_the_ledger_true():
    run_state_machine_as_test(LedgerMachine, settings=settings(
        max_examples=8, stateful_step_count=10, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
