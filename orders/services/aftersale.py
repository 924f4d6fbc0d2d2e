"""Refund requests and the merchant's decision: the whole rest, an amount, or some of the units,
before or after shipping, and after completion within ``AFTER_SALE_DAYS`` (售后).

Each request is a ``Refund`` row awaiting the merchant, written with the order's move to
"refund requested". Approved: the refund goes through the gateway after commit; the order
becomes refunded when its refunds reach what was paid, otherwise it returns to where it was.
Stock comes back for units refunded before shipping; the sales count gives the units back.
Several refunds of one order never add up to more than was paid (checked under the order's lock).
"""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from affiliates.models import Sku
from affiliates.stock_flags import sku_restocked_on_commit
from core.errors import Conflict, InvalidInput
from core.money import fen_to_yuan, yuan_to_fen

from ..models import Order, OrderAction, OrderStatus, Payment, PaymentStatus, Refund, RefundStatus
from .lifecycle import _catalog_sync_later, _locked, _move, sales_volume_add
from .refunds import refund_send_later

COUNTED = (RefundStatus.REQUESTED, RefundStatus.PENDING, RefundStatus.SUCCEEDED, RefundStatus.FAILED)


def order_refund_totals(order: Order) -> tuple[int, int]:
    """(fen, units) the order's refunds already take (requested, approved, sent or failed)."""
    got = Refund.objects.filter(order=order, stray=False, status__in=COUNTED).aggregate(
        fen=Sum("amount_fen"), units=Sum("quantity"))
    return got["fen"] or 0, got["units"] or 0


def _after_sale_open(order: Order) -> bool:
    days = getattr(settings, "AFTER_SALE_DAYS", 15)
    return bool(order.finished_at) and timezone.now() <= order.finished_at + timedelta(days=days)


def _parse_quantity(value, left: int) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= left:
        raise InvalidInput(_("Units to refund must be a whole number from 1 to %(max)s.") % {"max": left},
                           field="quantity")
    return value


def _parse_amount(value, left_fen: int) -> int:
    try:
        fen = yuan_to_fen(value if isinstance(value, str) else str(value))
    except (ValueError, TypeError, ArithmeticError):
        fen = None
    if fen is None or not 0 < fen <= left_fen:
        raise InvalidInput(_("The refund amount must be a yuan amount above 0 and at most ¥%(max)s.") % {
            "max": fen_to_yuan(left_fen)}, field="amount")
    return fen


def _requested(order: Order, amount, quantity) -> tuple[int, int]:
    """(amount_fen, units) of a new request, checked against what is left of the order."""
    refunded_fen, refunded_units = order_refund_totals(order)
    left_fen, left_units = order.total_fen - refunded_fen, order.quantity - refunded_units
    if left_fen <= 0:
        raise Conflict(_("Everything paid for this order has already been refunded."), field="amount",
                       code="nothing_left")
    has_amount = amount not in (None, "")
    has_quantity = quantity not in (None, "")
    if has_amount and has_quantity:
        raise InvalidInput(_("Ask for an amount or a number of units, not both."), field="amount")
    if has_quantity:
        if left_units <= 0:
            raise InvalidInput(_("Every unit has already been refunded; ask for an amount."), field="quantity")
        units = _parse_quantity(quantity, left_units)
        fen = left_fen if units == left_units else min(order.unit_price_fen * units, left_fen)
        return fen, units
    if has_amount:
        return _parse_amount(amount, left_fen), 0
    return left_fen, max(left_units, 0)


@transaction.atomic
def order_refund_request(*, order: Order, actor, reason: str, amount=None, quantity=None) -> Order:
    """The shopper asks for a refund: everything left (default), ``amount`` (yuan string) or
    ``quantity`` units; before or after shipping, or after completion within ``AFTER_SALE_DAYS``."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise InvalidInput(_("Say why you want a refund (at most 200 characters)."), field="reason")
    order = _locked(order)
    if order.status == OrderStatus.COMPLETED and not _after_sale_open(order):
        raise Conflict(_("The after-sale period of this order (%(days)s days after completion) is over.") % {
            "days": getattr(settings, "AFTER_SALE_DAYS", 15)}, field="status", code="after_sale_over")
    previous = order.status
    _move(order, OrderAction.REFUND_REQUEST, actor=actor, note=reason)
    fen, units = _requested(order, amount, quantity)
    payment = (Payment.objects.filter(order=order, status=PaymentStatus.PAID).exclude(refunds__stray=True)
               .order_by("paid_at", "pk").first())
    Refund.objects.create(order=order, payment=payment, number=_new_number(), amount_fen=fen, quantity=units,
                          reason=reason, after_completion=previous == OrderStatus.COMPLETED,
                          status=RefundStatus.REQUESTED)
    order.refund_from, order.refund_reason = previous, reason
    order.save(update_fields=["refund_from", "refund_reason"])
    return order


def _new_number() -> str:
    from .refunds import _new_number as number

    return number()


def _open_request(order: Order) -> Refund | None:
    return (Refund.objects.select_for_update().filter(order=order, status=RefundStatus.REQUESTED, stray=False)
            .order_by("-pk").first())


def _restock(order: Order, units: int) -> int:
    if units <= 0:
        return 0
    sku = Sku.objects.select_for_update().get(pk=order.sku_id)
    Sku.objects.filter(pk=sku.pk).update(stock=F("stock") + units)
    sku_restocked_on_commit(sku.pk)
    if sku.stock == 0:
        _catalog_sync_later(sku)
    return units


@transaction.atomic
def order_refund(*, order: Order, actor) -> Order:
    """The merchant approves the open request. Reaching the paid amount refunds the order;
    less returns it to where it was. Units refunded before shipping go back in stock; the
    money goes back through the gateway after commit (``refunds.refund_execute``)."""
    order = _locked(order)
    refund = _open_request(order) if order.status == OrderStatus.REFUND_REQUESTED else None
    if refund is None and order.status == OrderStatus.REFUND_REQUESTED:
        # A request from before refunds were kept per request: it asked for everything left.
        fen, units = _requested(order, None, None)
        payment = (Payment.objects.filter(order=order, status=PaymentStatus.PAID).exclude(refunds__stray=True)
                   .order_by("paid_at", "pk").first())
        refund = Refund.objects.create(order=order, payment=payment, number=_new_number(), amount_fen=fen,
                                       quantity=units, reason=order.refund_reason, status=RefundStatus.REQUESTED,
                                       after_completion=order.refund_from == OrderStatus.COMPLETED)
    refunded_fen, refunded_units = order_refund_totals(order)  # this request included
    full = refund is not None and refunded_fen >= order.total_fen
    _move(order, OrderAction.REFUND_APPROVE if full or refund is None else OrderAction.REFUND_APPROVE_PART,
          actor=actor)
    units = refund.quantity
    if full:  # every unit not yet taken back comes back now
        units = order.quantity - (refunded_units - refund.quantity)
    if order.refund_from == OrderStatus.PAID:
        refund.restocked = _restock(order, units)
    sales_volume_add(sku_id=order.sku_id, delta=-units)
    refund.quantity = units  # the refund that reaches the paid amount takes back every unit left
    refund.decided_at = timezone.now()
    refund.status = RefundStatus.PENDING
    refund.save(update_fields=["restocked", "decided_at", "status", "quantity"])
    if refund.payment_id is None:
        refund.status = RefundStatus.FAILED
        refund.last_error = "no paid payment to refund"
        refund.save(update_fields=["status", "last_error"])
    else:
        refund_send_later(refund)
    return order


@transaction.atomic
def order_refund_reject(*, order: Order, actor, note: str = "") -> Order:
    """The merchant rejects the open request: no money moves, the order returns to where it was."""
    order = _locked(order)
    _move(order, OrderAction.REFUND_REJECT, actor=actor, note=note)
    Refund.objects.filter(order=order, status=RefundStatus.REQUESTED, stray=False).update(
        status=RefundStatus.REJECTED, decided_at=timezone.now())
    return order
