"""Refunds through the payment gateway, after the merchant approved a refund request, and of
payments that arrived when their order no longer took them.

``services/aftersale.py`` writes an order's ``Refund`` rows (request, approval) and queues the
gateway call after commit; ``refund_open_payment`` does so at once for stray money; ``refund_execute`` makes the call outside any transaction, at most
once per refund number at the gateway, and records the result: refunded (the shopper hears it
from the shopping assistant), still pending (a temporary failure: the task retries with backoff,
and ``refunds_retry_stale`` picks up any whose task was lost), or failed (the gateway refused;
an operator sees it in admin).
"""
from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.money import fen_to_yuan
from notices.models import OfficialKind
from notices.services import message_send

from ..events import refund_succeeded_emit
from ..models import Payment, Refund, RefundStatus
from ..payments import GatewayUnavailable, RefundRefused, get_gateway

logger = logging.getLogger("orders.payments")

STALE_AFTER = timedelta(minutes=10)


def _new_number() -> str:
    return "R" + timezone.localtime().strftime("%y%m%d") + secrets.token_hex(6).upper()


def refund_send_later(refund: Refund) -> None:
    """Queue the gateway call of an approved refund after commit."""
    refund_id = refund.pk
    transaction.on_commit(lambda: _execute_later(refund_id))


def refund_open_payment(*, payment: Payment) -> Refund:
    """``payment`` goes back in full: an order's refund, or money that arrived for an order that
    no longer takes it (closed by the payment timeout, or already paid by another payment)."""
    refund = Refund.objects.create(order_id=payment.order_id, payment=payment, number=_new_number(),
                                   amount_fen=payment.amount_fen, stray=True)
    transaction.on_commit(lambda: _execute_later(refund.pk))
    return refund


def _execute_later(refund_id: int) -> None:
    from ..tasks import refund_execute_task

    refund_execute_task.delay(refund_id)


def refund_execute(*, refund_id: int) -> str:
    """Call the gateway for one pending refund. Returns its status; raises ``GatewayUnavailable``
    when the call should be tried again."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update(of=("self",)).select_related("payment", "order").get(pk=refund_id)
        if refund.status != RefundStatus.PENDING:
            return refund.status
        refund.attempts += 1
        refund.save(update_fields=["attempts"])
    try:
        done = get_gateway(refund.payment.gateway).refund(payment=refund.payment, refund_number=refund.number,
                                                          amount_fen=refund.amount_fen)
    except GatewayUnavailable as exc:
        Refund.objects.filter(pk=refund.pk).update(last_error=str(exc)[:300])
        logger.warning("refund %s of order %s: gateway unavailable (%s)", refund.number, refund.order.number, exc)
        raise
    except RefundRefused as exc:
        Refund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
            status=RefundStatus.FAILED, last_error=str(exc)[:300])
        logger.error("refund %s of order %s refused by the gateway: %s", refund.number, refund.order.number, exc)
        return RefundStatus.FAILED
    now = timezone.now()
    with transaction.atomic():
        updated = Refund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
            status=RefundStatus.SUCCEEDED, gateway_refund_no=done.gateway_refund_no, refunded_at=now,
            last_error="")
        if updated:
            order = refund.order
            if not refund.stray:
                refund.status, refund.refunded_at = RefundStatus.SUCCEEDED, now
                refund_succeeded_emit(refund)
            params = {"number": order.number, "amount": fen_to_yuan(refund.amount_fen)}
            transaction.on_commit(lambda: message_send(
                recipient=order.shopper, sender_handle_or_user=OfficialKind.SHOPPING_ASSISTANT, kind="order.refund_paid",
                dedupe_key=f"refund-paid-{refund.pk}", title=gettext_noop("Order %(number)s: refund sent"),
                body=gettext_noop("¥%(amount)s is on its way back to the account you paid with."), params=params,
                link=reverse("orders:detail", args=[order.number])))
            logger.info("refund %s of order %s: %s fen refunded (%s)", refund.number, order.number, refund.amount_fen,
                        done.gateway_refund_no)
    return RefundStatus.SUCCEEDED


def refund_retry(*, refund: Refund) -> None:
    """An operator sends a failed refund again (after fixing what the gateway refused)."""
    Refund.objects.filter(pk=refund.pk, status=RefundStatus.FAILED).update(status=RefundStatus.PENDING)
    _execute_later(refund.pk)


def refunds_retry_stale(*, now=None) -> int:
    """Queue again every refund still pending long after it was opened (its task was lost)."""
    now = now or timezone.now()
    ids = list(Refund.objects.filter(status=RefundStatus.PENDING, created_at__lte=now - STALE_AFTER)
               .values_list("pk", flat=True)[:500])
    for pk in ids:
        _execute_later(pk)
    return len(ids)
