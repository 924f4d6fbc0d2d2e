"""What the commissions room hears: the orders room's outbox events and the sync room's order
reports. Each receiver is idempotent (outbox: by event id; ledger: by event key)."""
from __future__ import annotations

from core.outbox import outbox_receiver

from . import services


@outbox_receiver("order.paid", name="commissions.sale")
def on_order_paid(event) -> None:
    services.native_order_paid(payload=event.payload)


@outbox_receiver("order.refund_succeeded", name="commissions.refund")
def on_refund_succeeded(event) -> None:
    services.native_refund_succeeded(payload=event.payload)


@outbox_receiver("order.completed", name="commissions.completed")
def on_order_completed(event) -> None:
    services.native_order_completed(payload=event.payload)


def on_order_reports_stored(sender, source, created_ids, updated_ids, redelivery=False, **kwargs) -> None:
    """Receiver of ``affiliates.sync.signals.order_reports_stored`` (at least once: a raise keeps
    the rows waiting for hand-off, and the sync room hands them over again)."""
    services.external_reports_apply(report_ids=[*created_ids, *updated_ids])
