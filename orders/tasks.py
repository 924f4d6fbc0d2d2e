"""Celery tasks of the orders room: thin wrappers over services, taking ids."""
from __future__ import annotations

import logging
import secrets

import requests
from celery import shared_task
from django.utils import timezone

from . import conf, services
from .models import Payment
from .payments import sign

logger = logging.getLogger("orders.payments")

_session = requests.Session()


def get_session() -> requests.Session:
    """The sandbox gateway's HTTP session (tests mount an in-process transport on it)."""
    return _session


@shared_task(name="orders.close_unpaid")
def close_unpaid_task() -> int:
    return services.orders_close_unpaid()


@shared_task(name="orders.close_if_due", ignore_result=True)
def close_if_due_task(order_id: int) -> bool:
    """Queued with the order's payment deadline as ETA: close it then if still unpaid."""
    return services.order_close_if_due(order_id=order_id)


@shared_task(name="orders.auto_confirm")
def auto_confirm_task() -> int:
    return services.orders_auto_confirm()


@shared_task(name="orders.complete_due")
def complete_due_task() -> int:
    return services.orders_complete_due()


@shared_task(name="orders.refund_execute", bind=True, max_retries=8)
def refund_execute_task(self, refund_id: int) -> str:
    """Send one approved refund through the gateway; a temporary failure is retried with backoff
    (the refund number makes a repeated call refund once)."""
    from .payments import GatewayUnavailable

    try:
        return services.refund_execute(refund_id=refund_id)
    except GatewayUnavailable as exc:
        if self.request.is_eager:
            return "pending"  # refunds_retry_stale sends it again later
        raise self.retry(exc=exc, countdown=min(2 ** self.request.retries * 10, 600))


@shared_task(name="orders.refunds_retry_stale")
def refunds_retry_stale_task() -> int:
    return services.refunds_retry_stale()


@shared_task(name="orders.sandbox_notify_send", bind=True, max_retries=6)
def sandbox_notify_send(self, payment_id: int, pay: bool, notify_url: str) -> str:
    """The sandbox gateway's asynchronous notify: signed parameters POSTed to our notify URL,
    resent (with backoff) until it answers ``success``."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        return "gone"
    params = {
        "notify_id": secrets.token_hex(8), "out_trade_no": payment.number,
        "trade_no": f"SBX{payment.pk:08d}{payment.number[-6:]}", "total_fen": str(payment.amount_fen),
        "trade_status": "SUCCESS" if pay else "CLOSED", "notify_time": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
    }
    params["sign"] = sign(params, conf.get("PAYMENT_SANDBOX_SECRET"))
    try:
        answer = get_session().post(notify_url, data=params, timeout=conf.get("PAYMENT_NOTIFY_TIMEOUT_SECONDS"))
        text = answer.text.strip()
    except requests.RequestException as exc:
        text = f"error: {exc}"
    if text != "success" and not self.request.is_eager:
        logger.warning("sandbox notify for %s answered %r; resending", payment.number, text[:100])
        raise self.retry(countdown=min(2 ** self.request.retries * 5, 300))
    return text
