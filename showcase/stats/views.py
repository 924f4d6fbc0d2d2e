"""The data dashboard (数据看板) and the leaderboard (达人榜) pages."""
from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.errors import DomainError, Forbidden, InvalidInput
from core.money import fen_to_yuan
from creators.selectors import cart_rights_for
from showcase.channels import Channel

from . import selectors, services
from .buffer import get_buffer
from .charts import bar_chart, line_chart
from .models import LeaderboardEntry
from .selectors import WINDOWS

METRIC_LABELS = {
    "impressions": pgettext_lazy("metric", "Impressions"), "views": pgettext_lazy("metric", "Views"),
    "clicks": pgettext_lazy("metric", "Clicks"), "orders": pgettext_lazy("metric", "Orders"),
    "units": pgettext_lazy("metric", "Units sold"), "gmv_fen": pgettext_lazy("metric", "GMV"),
    "commission_fen": pgettext_lazy("metric", "Estimated commission"),
}


def metric_label(metric: str):
    return METRIC_LABELS[metric]


def parse_days(value) -> int:
    """The window of the dashboard: 7, 30 or 90 days (7 when absent)."""
    if value in (None, ""):
        return 7
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = None
    if days not in WINDOWS:
        raise InvalidInput(_("days must be 7, 30 or 90."), field="days")
    return days


def _error(request, exc: DomainError, *, template: str = "stats/error.html", context: dict | None = None):
    return render(request, template, {"error": exc, **(context or {})}, status=exc.status_code)


def _flush_if_local() -> None:
    """Without Redis no worker can see this process's buffer: flush it before reading."""
    if get_buffer().name == "local":
        services.stats_flush()


def dashboard_access(user) -> list:
    """The creator's rights; the dashboard needs one granted (active or not: a suspended
    creator still sees their numbers)."""
    rights = cart_rights_for(user)
    if not any(r.status != "none" for r in rights):
        raise Forbidden(
            _("The data dashboard is for creators with product sharing rights: apply for product sharing first."),
            field="rights", code="no_right",
        )
    return rights


@login_required
def dashboard(request):
    try:
        rights = dashboard_access(request.user)
        days = parse_days(request.GET.get("days"))
        channel_metric = request.GET.get("by", "gmv_fen")
        if channel_metric not in selectors.METRICS:
            raise InvalidInput(_("by must be one of views, clicks, orders, gmv_fen, commission_fen."),
                                        field="by")
        export = request.GET.get("format", "html")
        if export not in ("html", "csv"):
            raise InvalidInput(_("format must be html or csv."), field="format")
    except DomainError as exc:
        return _error(request, exc)
    _flush_if_local()
    if export == "csv":
        return dashboard_csv(request.user, days)
    board = selectors.dashboard_for(creator_id=request.user.pk, days=days)
    metrics = []
    for metric in selectors.METRICS:
        money = metric.endswith("_fen")
        label = str(metric_label(metric))
        metrics.append({
            "key": metric, "label": label, "money": money,
            "total": board.totals[metric], "previous": board.previous_totals.get(metric, 0),
            "chart": line_chart([(day, counts[metric]) for day, counts in board.daily],
                                label=_("%(metric)s per day, last %(days)s days") % {"metric": label, "days": days},
                                money=money, css_class=f"chart--{metric}"),
        })
    channel_label = str(metric_label(channel_metric))
    channel_chart = bar_chart(
        [(str(label), counts[channel_metric]) for _value, label, counts in board.channels],
        label=_("%(metric)s per channel") % {"metric": channel_label}, money=channel_metric.endswith("_fen"),
    )
    return render(request, "stats/dashboard.html", {
        "board": board, "days": days, "windows": WINDOWS, "metrics": metrics, "rights": rights,
        "channel_metric": channel_metric, "channel_metric_label": channel_label, "channel_chart": channel_chart,
        "channel_metrics": [(m, metric_label(m)) for m in selectors.METRICS],
        "daily_desc": list(reversed(board.daily)),
        "suspended": [r for r in rights if r.status in ("suspended", "revoked")],
    })


CSV_COLUMNS = ("impressions", "views", "clicks", "orders", "units", "gmv_fen", "commission_fen")


def dashboard_csv(user, days: int) -> HttpResponse:
    """Every row of the window; UTF-8 with a BOM so that Excel reads the Chinese titles."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{user.handle}-{days}d.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    header = [_("Date"), _("Channel"), _("Product ID"), _("Product")]
    for column in CSV_COLUMNS:
        label = str(metric_label(column))
        header.append(_("%(metric)s (yuan)") % {"metric": label} if column.endswith("_fen") else label)
    writer.writerow(header)

    for row in selectors.dashboard_rows(creator_id=user.pk, days=days):
        writer.writerow(
            [row.day.isoformat(), str(Channel(row.channel).label), row.product_id or "",
             row.product.title if row.product_id else _("(channel page)")]
            + [fen_to_yuan(getattr(row, c)) if c.endswith("_fen") else getattr(row, c) for c in CSV_COLUMNS]
        )
    return response


def leaderboard(request):
    period = request.GET.get("period", LeaderboardEntry.Period.DAY)
    metric = request.GET.get("by", LeaderboardEntry.Metric.GMV)
    try:
        if period not in LeaderboardEntry.Period.values:
            raise InvalidInput(_("period must be day, week or month."), field="period")
        if metric not in LeaderboardEntry.Metric.values:
            raise InvalidInput(_("by must be gmv or sales."), field="by")
    except DomainError as exc:
        return _error(request, exc)
    if get_buffer().name == "local" and selectors.leaderboard_computed_at(period=period, metric=metric) is None:
        services.leaderboard_refresh()  # no beat without Redis: build it on first read
    entries = list(selectors.leaderboard(period=period, metric=metric))
    return render(request, "stats/leaderboard.html", {
        "entries": entries, "period": period, "metric": metric,
        "periods": LeaderboardEntry.Period.choices, "metrics": LeaderboardEntry.Metric.choices,
        "computed_at": entries[0].computed_at if entries else None,
        "period_start": services.period_start(period, timezone.localdate()),
    })
