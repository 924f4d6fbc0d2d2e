"""What the orders room announces through the transactional outbox (``core.outbox``).

Every event is emitted inside the transaction of the change it reports; money is integer fen,
times ISO 8601 UTC. Topics, keys and payloads (the contract other rooms code against):

- ``order.status_changed`` (key ``order.change:<status change pk>``): order_id, number, title,
  shopper_id, change_id, action, to_status — every status change; the shopper's 购物助手 message.
- ``order.paid`` (key ``order.paid:<order pk>``): order_id, number, shop_id, shop_owner_id,
  product_id, sku_id, source ("shop"|"alliance"), creator_id (int|None), channel, click_id,
  commission_rate_bp (locked on the winning click), quantity, unit_price_fen, total_fen, paid_at.
- ``order.refund_succeeded`` (key ``refund.succeeded:<refund pk>``): order_id, number, shop_id,
  refund_id, refund_number, amount_fen, quantity (units refunded; 0 when refunded by amount),
  refunded_total_fen (cumulative on the order, this one included), paid_total_fen,
  after_completion (bool), succeeded_at. Emitted when the gateway confirms the refund.
- ``order.completed`` (key ``order.completed:<order pk>``): order_id, number, shop_id, completed_at.
- ``order.closed`` (key ``order.closed:<order pk>``): order_id, number, shop_id, product_id,
  sku_id, quantity, reason ("cancel"|"timeout"), closed_at — an unpaid order closed.
"""
from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import F, Sum

from core.outbox import outbox_emit

from .models import Order, OrderAction, Refund, RefundStatus

ORDER_PAID = "order.paid"
ORDER_STATUS_CHANGED = "order.status_changed"
ORDER_REFUND_SUCCEEDED = "order.refund_succeeded"
ORDER_COMPLETED = "order.completed"
ORDER_CLOSED = "order.closed"


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def order_paid_facts(via: str = "") -> dict:
    """What ``order_paid_emit`` reads of the order's shop and product, as annotations: the query
    that locks the order to mark it paid takes them along, and the event costs no query.
    ``via``: the path to the order from the queried model (``"order__"`` from a payment)."""
    return {"paid_shop_owner_id": F(f"{via}shop__owner_id"), "paid_product_source": F(f"{via}product__source")}


def order_paid_emit(order: Order) -> None:
    """``order`` was locked with ``order_paid_facts()`` (``lifecycle.order_locked_for_payment``
    or ``payment_with_order_locked``)."""
    shop_owner_id, source = order.paid_shop_owner_id, order.paid_product_source
    outbox_emit(topic=ORDER_PAID, key=f"order.paid:{order.pk}", payload={
        "order_id": order.pk, "number": order.number, "shop_id": order.shop_id, "shop_owner_id": shop_owner_id,
        "product_id": order.product_id, "sku_id": order.sku_id, "source": source, "creator_id": order.creator_id,
        "channel": order.channel, "click_id": order.click_id or "", "commission_rate_bp": order.commission_rate_bp,
        "quantity": order.quantity, "unit_price_fen": order.unit_price_fen, "total_fen": order.total_fen,
        "paid_at": iso(order.paid_at),
    })


def order_completed_emit(order: Order) -> None:
    outbox_emit(topic=ORDER_COMPLETED, key=f"order.completed:{order.pk}", payload={
        "order_id": order.pk, "number": order.number, "shop_id": order.shop_id, "completed_at": iso(order.finished_at),
    })


def order_closed_emit(order: Order, action: str) -> None:
    outbox_emit(topic=ORDER_CLOSED, key=f"order.closed:{order.pk}", payload={
        "order_id": order.pk, "number": order.number, "shop_id": order.shop_id, "product_id": order.product_id,
        "sku_id": order.sku_id, "quantity": order.quantity,
        "reason": "timeout" if action == OrderAction.TIMEOUT else "cancel", "closed_at": iso(order.finished_at),
    })


def refund_succeeded_emit(refund: Refund) -> None:
    """``refund`` has just been marked succeeded in the caller's transaction."""
    order = refund.order
    refunded = (Refund.objects.filter(order=order, status=RefundStatus.SUCCEEDED, stray=False)
                .aggregate(total=Sum("amount_fen"))["total"] or 0)
    outbox_emit(topic=ORDER_REFUND_SUCCEEDED, key=f"refund.succeeded:{refund.pk}", payload={
        "order_id": order.pk, "number": order.number, "shop_id": order.shop_id, "refund_id": refund.pk,
        "refund_number": refund.number, "amount_fen": refund.amount_fen, "quantity": refund.quantity,
        "refunded_total_fen": refunded, "paid_total_fen": order.total_fen,
        "after_completion": refund.after_completion, "succeeded_at": iso(refund.refunded_at),
    })


def announce(order: Order, action: str) -> None:
    """Called by ``_move`` after a status change: the events that change makes."""
    if action == OrderAction.PAY:
        order_paid_emit(order)
    elif action == OrderAction.COMPLETE:
        order_completed_emit(order)
    elif action in (OrderAction.CANCEL, OrderAction.TIMEOUT):
        order_closed_emit(order, action)
