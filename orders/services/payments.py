"""Paying an order: start a payment at the gateway, and take the gateway's signed notify.

The notify is the only thing that marks an order paid. It is idempotent: a payment moves from
pending to paid once (``Payment.gateway_trade_no`` is unique), so a replayed notify changes
nothing; a forged signature, an altered amount or an unknown trade number change nothing and
leave a clear log line (``orders.payments`` logger) and a ``PaymentNotify`` row.
"""
from __future__ import annotations

import logging
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict
from core.insert import insert_row, insert_unless, update_row

from ..models import NotifyOutcome, Order, OrderStatus, Payment, PaymentNotify, PaymentStatus
from ..payments import BadNotify, get_gateway
from .lifecycle import order_mark_paid, payment_with_order_locked
from .refunds import refund_open_payment

logger = logging.getLogger("orders.payments")


def payment_start(*, order: Order) -> Payment:
    """A payment for an unpaid order (the pending one again when the shopper comes back)."""
    if order.status != OrderStatus.PENDING_PAYMENT or order.pay_deadline <= timezone.now():
        raise Conflict(_("This order can no longer be paid."), field="order", code="not_payable")
    gateway = get_gateway()
    number = "P" + timezone.localtime().strftime("%y%m%d%H%M%S") + secrets.token_hex(6).upper()
    payment = Payment(order=order, gateway=gateway.name, number=number, amount_fen=order.total_fen,
                      status=PaymentStatus.PENDING, created_at=timezone.now())
    # One statement: the first press of 支付 reads nothing first; a second one finds the waiting
    # payment and goes to it.
    if insert_unless(payment, _PAYMENT_FIELDS, exists={"order": order.pk, "gateway": gateway.name,
                                                       "status": PaymentStatus.PENDING}):
        return payment
    return order.payments.filter(gateway=gateway.name, status=PaymentStatus.PENDING).first()


_PAYMENT_FIELDS = ("order", "gateway", "number", "amount_fen", "status", "created_at")


def _log(gateway: str, notify_id: str, params: dict, outcome: str, payment: Payment | None = None) -> None:
    insert_row(PaymentNotify(gateway=gateway, notify_id=notify_id[:64], params=params, outcome=outcome,
                             payment=payment))


def payment_notify_handle(*, gateway_name: str, params: dict[str, str]) -> tuple[bool, str]:
    """Apply one notify; returns (answer ok?, outcome). ``ok`` tells the gateway to stop resending."""
    gateway = get_gateway(gateway_name)
    params = {k: str(v) for k, v in params.items()}
    notify_id = params.get("notify_id", "")
    try:
        data = gateway.parse_notify(params)
    except BadNotify as exc:
        logger.warning("payment notify REFUSED (forged: %s) gateway=%s notify_id=%s out_trade_no=%s",
                       exc, gateway.name, notify_id, params.get("out_trade_no", ""))
        _log(gateway.name, notify_id, params, NotifyOutcome.FORGED)
        return False, NotifyOutcome.FORGED
    with transaction.atomic():
        # The order's row is locked first, its payment then moves by a conditional UPDATE
        # (``status = pending``): of two notifies racing for it, exactly one moves it.
        payment = payment_with_order_locked(number=data.trade_number, gateway=gateway.name)
        if payment is None:
            logger.warning("payment notify REFUSED (unknown trade number) gateway=%s out_trade_no=%s notify_id=%s",
                           gateway.name, data.trade_number, data.notify_id)
            _log(gateway.name, notify_id, params, NotifyOutcome.UNKNOWN)
            return False, NotifyOutcome.UNKNOWN
        order = payment.order
        if data.amount_fen != payment.amount_fen:
            logger.warning("payment notify REFUSED (altered amount: %s fen, expected %s) out_trade_no=%s notify_id=%s",
                           data.amount_fen, payment.amount_fen, payment.number, data.notify_id)
            _log(gateway.name, notify_id, params, NotifyOutcome.AMOUNT_MISMATCH, payment)
            return False, NotifyOutcome.AMOUNT_MISMATCH
        moved_to = PaymentStatus.PAID if data.paid else PaymentStatus.CANCELLED
        paid = {"paid_at": timezone.now(), "gateway_trade_no": data.gateway_trade_no} if data.paid else {}
        moved = payment.status == PaymentStatus.PENDING and update_row(  # (never back to pending)
            Payment(pk=payment.pk, status=moved_to, **paid), ["status", *paid],
            only_if={"status": PaymentStatus.PENDING})
        if not moved:
            if payment.status == PaymentStatus.PENDING:  # another notify moved it meanwhile
                payment.refresh_from_db(fields=["status", "paid_at", "gateway_trade_no"])
            logger.info("payment notify replayed (payment already %s) out_trade_no=%s notify_id=%s: no change",
                        payment.status, payment.number, data.notify_id)
            _log(gateway.name, notify_id, params, NotifyOutcome.REPLAYED, payment)
            return True, NotifyOutcome.REPLAYED
        payment.status = moved_to
        for field, value in paid.items():
            setattr(payment, field, value)
        if not data.paid:
            _log(gateway.name, notify_id, params, NotifyOutcome.APPLIED, payment)
            return True, NotifyOutcome.APPLIED
        if order.status != OrderStatus.PENDING_PAYMENT:
            refund = refund_open_payment(payment=payment)
            logger.warning("payment notify for order %s that is %s: money taken, order not reopened; refunding it "
                           "(out_trade_no=%s, refund %s)", order.number, order.status, payment.number, refund.number)
            _log(gateway.name, notify_id, params, NotifyOutcome.LATE, payment)
            return True, NotifyOutcome.LATE
        order_mark_paid(order=order, locked=True)  # locked above, in this transaction
        _log(gateway.name, notify_id, params, NotifyOutcome.APPLIED, payment)
        logger.info("payment notify applied: order %s paid (out_trade_no=%s)", order.number, payment.number)
        return True, NotifyOutcome.APPLIED


# --- the sandbox gateway's own side: the pay page's decision and its notify ------------------

def sandbox_payment_decide(*, payment: Payment, pay: bool, notify_url: str) -> None:
    """The shopper pressed 支付 or 取消 on the sandbox pay page: like a real gateway, the sandbox
    answers later with a signed notify, sent by a task after this transaction commits."""
    if payment.gateway != "sandbox":
        raise Conflict(_("This payment is not a sandbox payment."), field="payment")
    if payment.status != PaymentStatus.PENDING:
        raise Conflict(_("This payment is already finished."), field="payment", code="payment_finished")
    from ..tasks import sandbox_notify_send

    payment_id = payment.pk
    transaction.on_commit(lambda: sandbox_notify_send.delay(payment_id, pay, notify_url))
