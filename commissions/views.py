"""Commission income (佣金收入): balances from the ledger, lines with filters, CSV, a daily chart."""
from __future__ import annotations

import csv
import itertools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from affiliates.models import ProductSource
from core.errors import DomainError
from core.money import bp_to_percent, fen_to_yuan
from orders.models import Channel
from showcase.stats import services as stats_services
from showcase.stats.buffer import get_buffer
from showcase.stats.selectors import commission_estimate_for

from . import selectors
from .models import FeeRate, LineStatus

PAGE_SIZE = 20


def _taobao_estimate_fen(creator_id: int) -> int:
    """Taobao Union commission stays in the stats: shown as a note, paid by Taobao Union."""
    if get_buffer().name == "local":
        stats_services.stats_flush()
    return commission_estimate_for(creator_id=creator_id, days=30).taobao_fen


def _error(request, exc: DomainError):
    return render(request, "commissions/error.html", {"error": exc}, status=exc.status_code)


def _fee_rates() -> list[tuple[str, str]]:
    now = timezone.now()
    out = []
    for value, label in ProductSource.choices:
        if value == ProductSource.TAOBAO:
            continue
        rate = (FeeRate.objects.filter(source=value, effective_from__lte=now).order_by("-effective_from", "-id")
                .values_list("rate_bp", flat=True).first())
        if rate is not None:
            out.append((label, bp_to_percent(rate)))
    return out


@login_required
def income(request):
    try:
        selectors.income_access(request.user)
        filters = selectors.line_filters_parse(request.GET)
    except DomainError as exc:
        return _error(request, exc)
    creator_id = request.user.pk
    page = Paginator(selectors.lines_for(creator_id=creator_id, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    series = selectors.daily_net(creator_id=creator_id)
    query = filters.as_query()
    return render(request, "commissions/income.html", {
        "summary": selectors.income_summary(creator_id=creator_id),
        "page": page, "filters": filters, "query": query,
        "chart": selectors.chart_bars(series), "chart_total_fen": sum(net for _, net in series),
        "statuses": LineStatus.choices, "sources": [c for c in ProductSource.choices if c[0] in selectors.LINE_SOURCES],
        "channels": Channel.choices, "fee_rates": _fee_rates(), "taobao_fen": _taobao_estimate_fen(creator_id),
        "holding_days": settings.COMMISSION_HOLDING_DAYS,
    })


class _Echo:
    def write(self, value):
        return value


CSV_COLUMNS = ("order", "product", "source", "channel", "rate", "paid", "refunded", "commission", "fee", "net",
               "status", "paid_at", "settled_at")


def csv_rows(lines):
    """Header and one row per line: amounts in yuan, labels in the reader's language (translated
    now, in the request's language, not when the response streams)."""
    headers = [pgettext("purchase", "Order"), _("Product"), _("Source"), _("Channel"), _("Commission rate"), _("Paid (yuan)"),
               _("Refunded (yuan)"), _("Commission (yuan)"), _("Technical service fee (yuan)"), _("Net income (yuan)"),
               _("Status"), _("Paid at"), _("Settled at")]
    sources, channels, statuses = ({k: str(v) for k, v in choices} for choices in (
        ProductSource.choices, Channel.choices, LineStatus.choices))
    return itertools.chain([headers], (_csv_row(line, sources, channels, statuses)
                                       for line in lines.iterator(chunk_size=500)))


def _csv_row(line, sources, channels, statuses) -> list[str]:
    return [line.order_number, line.title, sources.get(line.source, line.source),
            channels.get(line.channel, line.channel), bp_to_percent(line.rate_bp), fen_to_yuan(line.paid_fen),
            fen_to_yuan(line.refunded_fen), fen_to_yuan(line.commission_fen), fen_to_yuan(line.fee_fen),
            fen_to_yuan(line.net_fen), statuses.get(line.status, line.status),
            timezone.localtime(line.paid_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(line.settled_at).strftime("%Y-%m-%d %H:%M") if line.settled_at else ""]


def csv_response(lines, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    rows = csv_rows(lines)

    def body():
        yield "\ufeff"  # a BOM: spreadsheet programs then read the Chinese right
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(body(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def income_csv(request):
    try:
        selectors.income_access(request.user)
        filters = selectors.line_filters_parse(request.GET)
    except DomainError as exc:
        return _error(request, exc)
    lines = selectors.lines_for(creator_id=request.user.pk, filters=filters)
    return csv_response(lines, f"commission-lines-{timezone.localdate():%Y%m%d}.csv")
