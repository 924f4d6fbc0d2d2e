"""What the other side says about a day, fetched through the real clients with their signatures.

- An outside source's day report: its order report asked by *order time* (the sync reads the
  feed by update time), each row as it stands now, with its estimated and settled commission.
  Our line's day is the day it was paid; an order is paid at most a day after it was placed
  (the sources close unpaid orders sooner), so the report covers orders placed that day and the
  day before, and keeps those paid — or, never paid, placed — on the day.
- The payment gateway's statement (对账单) of the day, its signature verified by the client.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from affiliates import sources as source_registry
from affiliates.sources.base import ORDER_TIME_ORDERED, OrderReportRow, OrderStatus, SourceClient
from affiliates.sources.values import CN_TZ
from affiliates.sync.services.orders import order_window_fetch
from orders.payments import Statement, get_gateway

from .selectors import day_bounds

PAY_WITHIN = datetime.timedelta(days=1)


def source_commission(row: OrderReportRow) -> int:
    """The commission a report row earns: settled once settled, estimated while paid or
    confirmed, none otherwise — the rule ``commissions.services.external_report_apply`` books
    (tests/commissions/test_reconcile.py pins that the two agree)."""
    if row.status == OrderStatus.SETTLED:
        return row.settled_commission_fen
    if row.status in (OrderStatus.PAID, OrderStatus.CONFIRMED):
        return row.estimated_commission_fen
    return 0


@dataclass(frozen=True)
class TheirRow:
    order_ref: str
    commission_fen: int
    settled_fen: int
    status: str  # affiliates.sources.base.OrderStatus value
    day: datetime.date  # paid (or, never paid, placed) in Beijing time
    click_id: str


def order_ref(source: str, row: OrderReportRow) -> str:
    return f"{source}:{row.order_id}/{row.line_id}"


def _their_row(source: str, row: OrderReportRow) -> TheirRow:
    commission = source_commission(row)
    return TheirRow(
        order_ref=order_ref(source, row), commission_fen=commission,
        settled_fen=commission if row.status == OrderStatus.SETTLED else 0, status=str(row.status),
        day=(row.paid_at or row.ordered_at).astimezone(CN_TZ).date(), click_id=row.click_id,
    )


def _minute_ceiling(moment: datetime.datetime) -> datetime.datetime:
    """The next whole minute: the sources' time parameters have no fractions of a second."""
    return moment.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)


def source_day_report(*, source: str, day: datetime.date, client: SourceClient | None = None
                      ) -> dict[str, TheirRow]:
    """Every row of orders placed on ``day`` or the day before (up to now), by order reference:
    one request per window the source allows (an hour for most), every page of each."""
    client = client or source_registry.get_client(source)
    start, end = day_bounds(day)
    start -= PAY_WITHIN
    end = min(end, _minute_ceiling(timezone.now() + datetime.timedelta(minutes=1)))  # clocks a little apart
    rows: dict[str, TheirRow] = {}
    window = client.max_order_window
    cursor = start
    while cursor < end:
        until = min(cursor + window, end)
        for row in order_window_fetch(client, start=cursor, end=until, by=ORDER_TIME_ORDERED):
            mine = _their_row(source, row)
            rows[mine.order_ref] = mine
        cursor = until
    return rows


def gateway_statement(*, gateway: str, day: datetime.date) -> Statement:
    """The gateway's statement of ``day``, verified (``BadStatement`` when it is not genuine)."""
    return get_gateway(gateway).statement(day)
