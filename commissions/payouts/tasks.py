"""Celery tasks of withdrawals: send an approved payout, and the sandbox payout gateway's
asynchronous result (the sandbox's side, as ``orders.tasks.sandbox_notify_send`` is for payments)."""
from __future__ import annotations

import logging

import requests
from celery import shared_task
from django.conf import settings

from . import services
from .gateway import PayoutRefused, get_payout_gateway

logger = logging.getLogger("payouts")

_session = requests.Session()


def get_session() -> requests.Session:
    """The sandbox payout gateway's HTTP session (tests mount an in-process transport on it)."""
    return _session


@shared_task(name="payouts.payout_submit")
def payout_submit_task(withdrawal_id: int, notify_url: str) -> str:
    """Send one approved withdrawal's payout (idempotent by withdrawal number)."""
    try:
        withdrawal = services.withdrawal_payout_submit(withdrawal_id=withdrawal_id, notify_url=notify_url)
    except PayoutRefused as exc:  # never will be accepted as it is: the withdrawal fails, the money returns
        services.withdrawal_payout_refused(withdrawal_id=withdrawal_id, detail=str(exc))
        return "refused"
    return withdrawal.gateway_payout_no if withdrawal else "gone"


@shared_task(name="payouts.sandbox_result_send", bind=True, max_retries=6)
def sandbox_payout_result_send(self, request: dict) -> str:
    """The sandbox gateway's signed result for an accepted payout request, POSTed to the
    request's notify URL and resent (with backoff) until it answers ``success``."""
    gateway = get_payout_gateway("sandbox")
    params = gateway.result_params(request)
    timeout = getattr(settings, "PAYOUT_NOTIFY_TIMEOUT_SECONDS", 5)
    try:
        answer = get_session().post(request["notify_url"], data=params, timeout=timeout)
        text = answer.text.strip()
    except requests.RequestException as exc:
        text = f"error: {exc}"
    if text != gateway.success_answer and not self.request.is_eager:
        logger.warning("sandbox payout result for %s answered %r; resending", request["out_payout_no"], text[:100])
        raise self.retry(countdown=min(2 ** self.request.retries * 5, 300))
    return text


@shared_task(name="payouts.resend_due")
def payouts_resend_due_task() -> int:
    """Every few minutes: approved payouts that never reached the gateway are sent again."""
    return services.payouts_resend_due()
