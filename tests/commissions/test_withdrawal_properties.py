"""The ledger stays true with withdrawals (hypothesis): over any run of earning (a sale that
completes and settles), after-sale refunds (clawbacks, even into debt), withdrawals, rejections
and payouts the gateway pays or fails, every transaction balances, available = settled net −
clawed back − paid out − held, held is exactly what is under review or paying out, a withdrawal
never takes more than was available, and replaying the gateway's results posts nothing."""
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import TestCase
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from commissions.ledger import creator_balances, ledger_check
from commissions.models import CommissionLine, LedgerEntry, LineStatus
from commissions.payouts import services
from commissions.payouts.gateway import get_payout_gateway
from commissions.payouts.models import Withdrawal, WithdrawalStatus
from commissions.payouts.owners import Owner
from commissions.services import settle_due
from core.errors import InvalidInput
from orders.models import OrderStatus

from .helpers import complete, creator, refund, sale
from .withdrawal_helpers import ACCOUNT_NO, FAILING_ACCOUNT_NO, REAL_NAME, verified

OPEN = (WithdrawalStatus.REQUESTED, WithdrawalStatus.APPROVED)


def _capture(execute=True):
    return TestCase.captureOnCommitCallbacks(execute=execute)


def _left(order) -> int:
    return order.total_fen - sum(r.amount_fen for r in order.refunds.filter(status="succeeded"))


class WithdrawalMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.owner = Owner.creator(verified(creator()))
        self.orders = []
        self.results = []

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @initialize(price=st.integers(1_000, 50_000), rate=st.integers(500, 5000), share=st.integers(1, 100),
                fails=st.booleans(), then=st.sampled_from(["wait", "reject", "pay out"]))
    def start_with_income_and_a_withdrawal(self, price, rate, share, fails, then):
        self.earn(price=price, rate=rate)
        self.withdraw(share=share, fails=fails, then=then)

    @rule(price=st.integers(1_000, 50_000), rate=st.integers(500, 5000))
    def earn(self, price, rate):
        """A sale that completes and settles at once: money to withdraw."""
        with _capture():
            order = sale(self.owner.user, price_fen=price, rate_bp=rate)
        self.orders.append(complete(order, _capture))
        CommissionLine.objects.filter(status=LineStatus.ESTIMATED, settle_after__isnull=False).update(
            settle_after=timezone.now() - timedelta(days=1))
        settle_due()

    @rule(data=st.data(), whole=st.booleans())
    def after_sale_refund(self, data, whole):
        """Commission taken back from the available balance (a debt when it is not enough)."""
        candidates = [o for o in self.orders if _left(o) > 1]
        for order in candidates:
            order.refresh_from_db()
        candidates = [o for o in candidates if o.status == OrderStatus.COMPLETED]
        if not candidates:
            return
        order = data.draw(st.sampled_from(candidates))
        fen = _left(order) if whole else data.draw(st.integers(1, _left(order) - 1))
        refund(order, _capture, amount=f"{fen // 100}.{fen % 100:02d}")

    @rule(share=st.integers(1, 120), fails=st.booleans(), then=st.sampled_from(["wait", "reject", "pay out"]))
    def withdraw(self, share, fails, then):
        services.payout_account_bind(owner=self.owner, holder_name=REAL_NAME, bank_name="招商银行",
                                     account_no=FAILING_ACCOUNT_NO if fails else ACCOUNT_NO)  # 0000: fails
        available = creator_balances(self.owner.id).available_fen
        amount = max(max(available, 0) * share // 100, 1)
        try:
            withdrawal, _ = services.withdrawal_request(owner=self.owner, amount_fen=amount)
        except InvalidInput as exc:
            assert exc.field == "amount"  # below the minimum or above what is available
            assert amount < 100 or amount > available
            return
        assert amount <= available
        if then == "reject":
            services.withdrawal_reject(withdrawal_id=withdrawal.pk, actor=None, reason="信息有误")
        elif then == "pay out":
            self._pay_out(withdrawal)

    @precondition(lambda self: Withdrawal.objects.filter(status=WithdrawalStatus.REQUESTED).exists())
    @rule(data=st.data(), reject=st.booleans())
    def decide_one_waiting(self, data, reject):
        waiting = list(Withdrawal.objects.filter(status=WithdrawalStatus.REQUESTED).order_by("pk"))
        withdrawal = data.draw(st.sampled_from(waiting))
        if reject:
            services.withdrawal_reject(withdrawal_id=withdrawal.pk, actor=None, reason="核对中")
        else:
            self._pay_out(withdrawal)

    def _pay_out(self, withdrawal):
        """Approve; the payout goes out and the sandbox's signed result comes back."""
        services.withdrawal_approve(withdrawal_id=withdrawal.pk, actor=None)
        withdrawal = services.withdrawal_payout_submit(withdrawal_id=withdrawal.pk, notify_url="")
        gateway = get_payout_gateway(withdrawal.gateway)
        params = gateway.result_params(gateway.request_params(
            number=withdrawal.number, amount_fen=withdrawal.amount_fen, holder_name=withdrawal.account.holder_name,
            account_no=withdrawal.account.account_no, notify_url=""))
        assert services.payout_result_handle(gateway_name=gateway.name, params=params) == (True, "applied")
        self.results.append(params)

    @invariant()
    def every_transaction_balances(self):
        assert ledger_check(record=False).ok

    @invariant()
    def balances_equal_what_the_lines_and_withdrawals_say(self):
        lines = list(CommissionLine.objects.filter(creator_id=self.owner.id))
        settled = sum(li.settled_net_fen - li.clawed_back_fen for li in lines
                      if li.status in (LineStatus.SETTLED, LineStatus.CLAWED_BACK))
        withdrawals = list(Withdrawal.objects.filter(owner_id=self.owner.id))
        held = sum(w.amount_fen for w in withdrawals if w.status in OPEN)
        paid = sum(w.amount_fen for w in withdrawals if w.status == WithdrawalStatus.PAID)
        balances = creator_balances(self.owner.id)
        assert (balances.held_fen, balances.paid_out_fen) == (held, paid)
        assert balances.available_fen == settled - paid - held

    @invariant()
    def a_replayed_result_posts_nothing(self):
        before = LedgerEntry.objects.count()
        for params in self.results:
            assert services.payout_result_handle(gateway_name="sandbox", params=params) == (True, "replayed")
        assert LedgerEntry.objects.count() == before


@pytest.mark.django_db
def test_any_run_of_earning_clawbacks_and_withdrawals_keeps_the_ledger_true():
    run_state_machine_as_test(WithdrawalMachine, settings=settings(
        max_examples=8, stateful_step_count=8, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
