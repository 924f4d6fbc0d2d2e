"""An approved payout never waits for ever: a request the gateway refuses outright fails the
withdrawal and gives the money back; a request that never reached the gateway (network down, a
worker killed after approval) is sent again by the sweep, once, and paid once."""
from datetime import timedelta

import pytest
from django.utils import timezone

from commissions.ledger import creator_balances, ledger_check
from commissions.payouts import services, tasks
from commissions.payouts.gateway import PayoutRefused, SandboxPayoutGateway
from commissions.payouts.models import Withdrawal, WithdrawalStatus
from notices.models import InboxMessage
from tests.affiliates.sandbox_transport import TESTSERVER

from .withdrawal_helpers import creator_owner, payout_transport, request

pytestmark = pytest.mark.django_db


def _balances(owner):
    b = creator_balances(owner.id)
    return b.available_fen, b.held_fen, b.paid_out_fen


def _approved_but_never_sent(owner, fen, *, minutes_ago):
    """Approved, but the payout request never left (its after-commit send was lost)."""
    withdrawal = request(owner, fen)
    services.withdrawal_approve(withdrawal_id=withdrawal.pk, actor=None)  # on_commit send not run in this test
    Withdrawal.objects.filter(pk=withdrawal.pk).update(decided_at=timezone.now() - timedelta(minutes=minutes_ago))
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.APPROVED and withdrawal.gateway_payout_no == ""
    return withdrawal


def test_a_payout_request_the_gateway_refuses_fails_the_withdrawal_and_returns_the_money(
        monkeypatch, django_capture_on_commit_callbacks):
    owner = creator_owner(available_fen=50_000)
    withdrawal = _approved_but_never_sent(owner, 20_000, minutes_ago=0)

    def refuse(self, params):
        raise PayoutRefused("payout request: malformed")

    monkeypatch.setattr(SandboxPayoutGateway, "submit", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.payout_submit_task(withdrawal.pk, "http://testserver/notify") == "refused"
    withdrawal.refresh_from_db()
    assert (withdrawal.status, withdrawal.reason) == (WithdrawalStatus.FAILED, "REQUEST_REFUSED")
    assert _balances(owner) == (50_000, 0, 0)
    told = InboxMessage.objects.get(recipient=owner.user, kind="withdrawal.failed")
    assert "拒绝" in told.display_body  # why, in the reader's words
    assert ledger_check(record=False).ok


def test_the_sweep_sends_again_only_approved_payouts_that_never_reached_the_gateway(
        settings, django_capture_on_commit_callbacks):
    settings.PAYOUT_RESEND_AFTER_SECONDS = 600
    settings.SITE_BASE_URL = TESTSERVER  # where the sandbox gateway posts its result (in-process)
    owner = creator_owner(available_fen=90_000)
    stuck = _approved_but_never_sent(owner, 20_000, minutes_ago=30)
    recent = _approved_but_never_sent(owner, 10_000, minutes_ago=1)  # its own send may still be on the way
    with payout_transport(), django_capture_on_commit_callbacks(execute=True):
        assert services.payouts_resend_due() == 1
    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert stuck.status == WithdrawalStatus.PAID and stuck.gateway_payout_no.startswith("SBXP")
    assert recent.status == WithdrawalStatus.APPROVED and recent.gateway_payout_no == ""
    with payout_transport(), django_capture_on_commit_callbacks(execute=True):
        assert services.payouts_resend_due() == 0  # a paid one is never sent again
    assert _balances(owner) == (60_000, 10_000, 20_000)
    assert ledger_check(record=False).ok
