"""Reads behind the data dashboard, the leaderboard and the commission estimates."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils import timezone

from showcase.channels import Channel

from .models import DailyStat, LeaderboardEntry

WINDOWS = (7, 30, 90)
MAX_RANGE_DAYS = 366
METRICS = ("views", "clicks", "orders", "gmv_fen", "commission_fen")
ALL_COLUMNS = ("impressions", "views", "clicks", "orders", "units", "gmv_fen", "commission_fen")


def _zero() -> dict[str, int]:
    return dict.fromkeys(ALL_COLUMNS, 0)


def _sums(qs) -> dict[str, int]:
    row = qs.aggregate(**{c: Sum(c) for c in ALL_COLUMNS})
    return {c: int(row[c] or 0) for c in ALL_COLUMNS}


@dataclass
class ProductRow:
    product_id: int
    title: str
    source: str
    counts: dict[str, int]

    @property
    def url(self) -> str:
        from .links import product_url

        return product_url(self.product_id)

    @property
    def source_label(self) -> str:
        from affiliates.models import ProductSource

        return ProductSource(self.source).label if self.source in ProductSource.values else self.source


@dataclass
class Dashboard:
    days: int
    start: datetime.date
    end: datetime.date
    totals: dict[str, int]
    daily: list[tuple[datetime.date, dict[str, int]]]
    channels: list[tuple[str, str, dict[str, int]]]  # (value, label, counts)
    products: list[ProductRow]
    previous_totals: dict[str, int] = field(default_factory=dict)

    @property
    def click_rate_bp(self) -> int:
        """Clicks per view in basis points (integer, no floats)."""
        views = self.totals["views"]
        return self.totals["clicks"] * 10_000 // views if views else 0


def window(days: int, *, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    end = today or timezone.localdate()
    return end - datetime.timedelta(days=days - 1), end


def dashboard_for(*, creator_id: int, days: int, today: datetime.date | None = None,
                  product_limit: int = 20) -> Dashboard:
    """Totals, one row per day (zeros included), per channel and the top products of the
    last ``days`` days (today included) for one creator. Four queries."""
    if not 1 <= days <= MAX_RANGE_DAYS:  # the page offers WINDOWS; the open platform any range
        raise ValueError(f"days must be from 1 to {MAX_RANGE_DAYS}")
    start, end = window(days, today=today)
    base = DailyStat.objects.filter(creator_id=creator_id, day__gte=start, day__lte=end)

    by_day = {row["day"]: row for row in base.values("day").annotate(**{c: Sum(c) for c in ALL_COLUMNS})}
    daily = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        row = by_day.get(day)
        daily.append((day, {c: int(row[c] or 0) for c in ALL_COLUMNS} if row else _zero()))
    totals = _zero()
    for _, counts in daily:
        for c in ALL_COLUMNS:
            totals[c] += counts[c]

    by_channel = {row["channel"]: row for row in base.values("channel").annotate(**{c: Sum(c) for c in ALL_COLUMNS})}
    channels = []
    for value, label in Channel.choices:
        row = by_channel.get(value)
        channels.append((value, label, {c: int(row[c] or 0) for c in ALL_COLUMNS} if row else _zero()))

    product_rows = (
        base.filter(product__isnull=False)
        .values("product_id", "product__title", "product__source")
        .annotate(**{c: Sum(c) for c in ALL_COLUMNS})
        .order_by("-gmv_fen", "-orders", "-clicks", "-views", "product_id")[:product_limit]
    )
    products = [
        ProductRow(row["product_id"], row["product__title"], row["product__source"],
                   {c: int(row[c] or 0) for c in ALL_COLUMNS})
        for row in product_rows
    ]
    prev_start, prev_end = start - datetime.timedelta(days=days), start - datetime.timedelta(days=1)
    previous = _sums(DailyStat.objects.filter(creator_id=creator_id, day__gte=prev_start, day__lte=prev_end))
    return Dashboard(days, start, end, totals, daily, channels, products, previous)


def dashboard_rows(*, creator_id: int, days: int, today: datetime.date | None = None):
    """Every DailyStat row of the window, for the CSV export (day, channel, product)."""
    start, end = window(days, today=today)
    return (
        DailyStat.objects.filter(creator_id=creator_id, day__gte=start, day__lte=end)
        .select_related("product")
        .order_by("day", "channel", "product_id")
    )


@dataclass
class CommissionEstimate:
    days: int
    start: datetime.date
    end: datetime.date
    total_fen: int
    gmv_fen: int
    orders: int
    daily: list[tuple[datetime.date, int, int]]  # (day, commission_fen, orders), newest first
    channels: list[tuple[str, str, int, int]]  # (value, label, commission_fen, orders)
    taobao_fen: int = 0  # of total_fen: Taobao Union products, paid by Taobao Union, not here

    @property
    def platform_fen(self) -> int:
        return self.total_fen - self.taobao_fen


def commission_estimate_for(*, creator_id: int, days: int, today: datetime.date | None = None) -> CommissionEstimate:
    """Estimated commission of paid, not refunded attributed orders, per day and channel."""
    start, end = window(days, today=today)
    base = DailyStat.objects.filter(creator_id=creator_id, day__gte=start, day__lte=end)
    by_day = {r["day"]: r for r in base.values("day").annotate(c=Sum("commission_fen"), o=Sum("orders"))}
    daily = []
    for offset in range(days):
        day = end - datetime.timedelta(days=offset)
        row = by_day.get(day) or {}
        daily.append((day, int(row.get("c") or 0), int(row.get("o") or 0)))
    by_channel = {r["channel"]: r for r in base.values("channel").annotate(c=Sum("commission_fen"), o=Sum("orders"))}
    channels = [
        (value, label, int((by_channel.get(value) or {}).get("c") or 0), int((by_channel.get(value) or {}).get("o") or 0))
        for value, label in Channel.choices
    ]
    totals = base.aggregate(c=Sum("commission_fen"), g=Sum("gmv_fen"), o=Sum("orders"),
                            t=Sum("commission_fen", filter=Q(product__source="taobao")))
    return CommissionEstimate(days, start, end, int(totals["c"] or 0), int(totals["g"] or 0), int(totals["o"] or 0),
                              daily, channels, int(totals["t"] or 0))


def leaderboard(*, period: str, metric: str):
    """The materialised ranking of one tab, best first, with the creators."""
    return (
        LeaderboardEntry.objects.filter(period=period, metric=metric)
        .select_related("creator")
        .order_by("rank")
    )


def leaderboard_computed_at(*, period: str, metric: str) -> datetime.datetime | None:
    return (
        LeaderboardEntry.objects.filter(period=period, metric=metric)
        .order_by("-computed_at").values_list("computed_at", flat=True).first()
    )
