"""The stats room hears about sales through the orders room's outbox events (``orders/events.py``)
instead of being called by it: a paid attributed order is recorded; a refund takes its share out
(pro rata for partial amounts; the refund that reaches the paid total takes the order out).
Commission comes from the commissions room's lines (``commission.changed``), never computed here.
Each receiver runs once per event (``core.outbox``), inside the delivery's transaction."""
from __future__ import annotations

import datetime

from django.utils.dateparse import parse_datetime

from core.outbox import outbox_receiver

from .services import commission_add, sale_record, sale_refund_part


def _at(text: str | None) -> datetime.datetime | None:
    return parse_datetime(text) if text else None


@outbox_receiver("order.paid", name="stats.sale_record")
def on_order_paid(event) -> None:
    p = event.payload
    if not p.get("creator_id"):
        return
    # Commission is not computed here: it arrives from the commissions room's lines
    # (``commission.changed`` below), so the dashboard shows what the creator is owed.
    sale_record(creator_id=p["creator_id"], channel=p["channel"], product_id=p["product_id"],
                order_ref=f"native:{p['number']}", quantity=p["quantity"], gmv_fen=p["total_fen"],
                commission_fen=0, paid_at=_at(p["paid_at"]))


@outbox_receiver("order.refund_succeeded", name="stats.sale_refund")
def on_refund_succeeded(event) -> None:
    p = event.payload
    sale_refund_part(order_ref=f"native:{p['number']}", amount_fen=p["amount_fen"],
                     refunded_total_fen=p["refunded_total_fen"], paid_total_fen=p["paid_total_fen"],
                     units=p.get("quantity") or 0, refunded_at=_at(p["succeeded_at"]))


@outbox_receiver("commission.changed", name="stats.commission")
def on_commission_changed(event) -> None:
    """A commission line moved (created, refunded, reported): the day it was paid, its creator,
    channel and product carry the change."""
    p = event.payload
    commission_add(creator_id=p["creator_id"], channel=p["channel"], product_id=p.get("product_id"),
                   paid_at=_at(p["paid_at"]), commission_fen=p["commission_delta_fen"])
