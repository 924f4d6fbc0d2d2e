"""What the orders room hears from its own outbox: the work of a status change that need not be in
the request that made it (the shopper's message, the close at the payment deadline, the
product's sales count). Each receiver runs
once per event, after commit, in the worker (``core.outbox``)."""
from __future__ import annotations

from core.outbox import outbox_receiver, outbox_receivers_batch

from .events import ORDER_PAID, ORDER_STATUS_CHANGED
from .models import OrderAction
from .services.lifecycle import (
    close_at_deadline_schedule,
    message_for_change,
    messages_for_changes,
    sales_volume_add,
)


@outbox_receiver(ORDER_STATUS_CHANGED, name="orders.shopper_message")
def on_status_changed(event) -> None:
    message_for_change(event.payload)
    if event.payload["action"] == OrderAction.PLACE:  # (one receiver: one delivery mark per change)
        close_at_deadline_schedule(order_id=event.payload["order_id"])


@outbox_receivers_batch(ORDER_STATUS_CHANGED, name="orders.shopper_message")
def on_status_changes(events) -> None:
    """``on_status_changed`` of a batch of changes: their messages in one statement."""
    messages_for_changes([event.payload for event in events])
    for event in events:
        if event.payload["action"] == OrderAction.PLACE:
            close_at_deadline_schedule(order_id=event.payload["order_id"])


@outbox_receiver(ORDER_PAID, name="orders.sales_volume")
def on_order_paid(event) -> None:
    from .models import Order

    sku_id = event.payload.get("sku_id")  # (events written before it was in the payload: read it)
    if sku_id is None:
        sku_id = Order.objects.filter(pk=event.payload["order_id"]).values_list("sku_id", flat=True).first()
    if sku_id is not None:
        sales_volume_add(sku_id=sku_id, delta=event.payload["quantity"])
