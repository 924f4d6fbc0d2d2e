"""Helpers the gateway twins share: absolute sandbox URLs, yuan text, order windows."""
from __future__ import annotations

import copy
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from core.money import bp_to_percent, fen_to_yuan

from .. import catalog
from ..gateway import Window, page_window, recon_fault
from ..models import SandboxOrder

yuan = fen_to_yuan


def percent(bp: int) -> str:
    """1550 → ``"15.50"`` (a percentage without the sign)."""
    return bp_to_percent(bp).rstrip("%")


def landing_url(request, source: str, external_id: str, /, **query) -> str:
    path = reverse("sandbox:item", args=[source, external_id])
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return request.build_absolute_uri(path + (f"?{urlencode(query)}" if query else ""))


def image_urls(request, item: catalog.Item) -> list[str]:
    return [request.build_absolute_uri(reverse("sandbox:image", args=[item.source, item.external_id, n]))
            for n in range(item.image_count)]


def short_url(request, source: str, host: str, code: str) -> str:
    return request.build_absolute_uri(reverse("sandbox:short_link", kwargs={"source": source, "host": host, "code": code}))


def catalog_page(source: str, keyword: str, sort: str | None, page: int, page_size: int):
    """(items, total, window) of a catalog search page after the paging faults."""
    indexes = catalog.search(source, keyword, sort)
    window: Window = page_window(source, len(indexes), page, page_size)
    return [catalog.item(source, i) for i in indexes[window.start:window.end]], len(indexes), window


TIME_FIELDS = {"created": "created_at", "paid": "paid_at", "finished": "finished_at", "settled": "settled_at",
               "updated": "updated_at"}


def orders_in(source: str, start: datetime, end: datetime, *, by: str = "updated",
              exclude_unpaid: bool = False) -> QuerySet[SandboxOrder]:
    field = TIME_FIELDS[by]
    qs = SandboxOrder.objects.filter(source=source, **{f"{field}__gte": start, f"{field}__lt": end})
    if exclude_unpaid:
        qs = qs.exclude(status=SandboxOrder.Status.UNPAID)
    return qs.order_by(field, "id")


def order_page(source: str, qs: QuerySet[SandboxOrder], page: int, page_size: int, *, by: str = "updated"):
    """(rows, window) of an order report page after the paging faults (and, for the day report
    by order time, the reconciliation faults)."""
    total = qs.count()
    window = page_window(source, total, page, page_size)
    return report_rows(source, list(qs[window.start:window.end]), by=by), window


def report_rows(source: str, rows: list[SandboxOrder], *, by: str) -> list[SandboxOrder]:
    """The rows a report shows: asked by order time (the day report reconciliation reads), the
    ``recon_*`` faults leave some out and alter others (copies: the sandbox's books stay true)."""
    if by != "created":
        return rows
    shown = []
    for order in rows:
        dropped, delta = recon_fault(source, order.order_id)
        if dropped:
            continue
        if delta:
            order = copy.copy(order)
            order.estimated_commission_fen = max(0, order.estimated_commission_fen + delta)
            if order.settled_commission_fen:
                order.settled_commission_fen = max(0, order.settled_commission_fen + delta)
        shown.append(order)
    return shown
