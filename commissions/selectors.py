"""Reads of the commissions room: a creator's income summary, lines, daily net, and the
commission figures the dashboard and the leaderboard show (from the lines, never re-computed)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, InvalidInput
from creators.selectors import cart_rights_for

from .ledger import Balances, creator_balances
from .models import CommissionLine, LineStatus

LINE_SOURCES = ("alliance", "shop", "jd", "kaola", "vip", "suning")
CHART_DAYS = 30


def income_access(user) -> list:
    """The creator's cart rights; commission income needs one granted (active or not: a
    suspended creator still sees, and is still owed, their commission)."""
    rights = cart_rights_for(user)
    if not any(r.status != "none" for r in rights):
        raise Forbidden(
            _("Commission income is for creators with product sharing rights: apply for product sharing first."),
            field="rights", code="no_right",
        )
    return rights


@dataclass(frozen=True)
class IncomeSummary:
    estimated_fen: int  # net of lines not yet settled
    settled_fen: int  # net settled so far (after clawbacks)
    clawed_back_fen: int
    balances: Balances
    lines: int

    @property
    def available_fen(self) -> int:
        return self.balances.withdrawable_fen

    @property
    def held_fen(self) -> int:
        return self.balances.held_fen

    @property
    def withdrawn_fen(self) -> int:
        return self.balances.paid_out_fen

    @property
    def debt_fen(self) -> int:
        return self.balances.debt_fen

    def as_dict(self) -> dict:
        return {"estimated_fen": self.estimated_fen, "settled_fen": self.settled_fen,
                "available_fen": self.available_fen, "held_fen": self.held_fen, "withdrawn_fen": self.withdrawn_fen,
                "debt_fen": self.debt_fen, "clawed_back_fen": self.clawed_back_fen, "lines": self.lines}


def income_summary(*, creator_id: int) -> IncomeSummary:
    totals = CommissionLine.objects.filter(creator_id=creator_id).aggregate(
        estimated=Sum("net_fen", filter=Q(status=LineStatus.ESTIMATED)),
        settled=Sum("net_fen", filter=Q(status__in=(LineStatus.SETTLED, LineStatus.CLAWED_BACK))),
        clawed=Sum("clawed_back_fen"), n=Count("id"))
    return IncomeSummary(estimated_fen=int(totals["estimated"] or 0), settled_fen=int(totals["settled"] or 0),
                         clawed_back_fen=int(totals["clawed"] or 0), balances=creator_balances(creator_id),
                         lines=totals["n"])


@dataclass(frozen=True)
class LineFilters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    status: str = ""
    source: str = ""
    channel: str = ""

    def as_query(self) -> dict:
        out = {"from": self.date_from.isoformat() if self.date_from else "",
               "to": self.date_to.isoformat() if self.date_to else "",
               "status": self.status, "source": self.source, "channel": self.channel}
        return {k: v for k, v in out.items() if v}


def _date(params, name: str) -> datetime.date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(_("%(field)s must be a date as YYYY-MM-DD.") % {"field": name}, field=name) from None


def line_filters_parse(params) -> LineFilters:
    """Filters from a query string; anything not allowed is a 400 naming the parameter."""
    from orders.models import Channel

    filters = LineFilters(date_from=_date(params, "from"), date_to=_date(params, "to"),
                          status=(params.get("status") or "").strip(), source=(params.get("source") or "").strip(),
                          channel=(params.get("channel") or "").strip())
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput(_("from must not be after to."), field="from")
    if filters.status and filters.status not in LineStatus.values:
        raise InvalidInput(_("status must be one of: %(values)s.") % {"values": ", ".join(LineStatus.values)},
                           field="status")
    if filters.source and filters.source not in LINE_SOURCES:
        raise InvalidInput(_("source must be one of: %(values)s.") % {"values": ", ".join(LINE_SOURCES)},
                           field="source")
    if filters.channel and filters.channel not in Channel.values:
        raise InvalidInput(_("channel must be one of: %(values)s.") % {"values": ", ".join(Channel.values)},
                           field="channel")
    return filters


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def lines_for(*, creator_id: int, filters: LineFilters = LineFilters()) -> QuerySet[CommissionLine]:
    """The creator's lines, newest paid first, narrowed by the filters (dates in the site's zone)."""
    qs = CommissionLine.objects.filter(creator_id=creator_id).select_related("product")
    if filters.date_from:
        qs = qs.filter(paid_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(paid_at__lt=_day_start(filters.date_to + datetime.timedelta(days=1)))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    return qs.order_by("-paid_at", "-id")


def daily_net(*, creator_id: int, days: int = CHART_DAYS, today: datetime.date | None = None
              ) -> list[tuple[datetime.date, int]]:
    """Net income per day of payment (estimated and settled lines), oldest first, every day present."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=days - 1)
    rows = (CommissionLine.objects.filter(creator_id=creator_id, paid_at__gte=_day_start(start))
            .exclude(status=LineStatus.CANCELLED)
            .annotate(day=TruncDate("paid_at", tzinfo=timezone.get_current_timezone()))
            .values("day").annotate(net=Sum("net_fen")).values_list("day", "net"))
    by_day = {day: int(net or 0) for day, net in rows}
    return [(start + datetime.timedelta(days=i), by_day.get(start + datetime.timedelta(days=i), 0))
            for i in range(days)]


def chart_bars(series: list[tuple[datetime.date, int]], *, width: int = 300, height: int = 90) -> dict:
    """Geometry of a server-drawn SVG bar chart (no script, no CDN)."""
    top = max([net for _, net in series] + [1])
    step = width / max(len(series), 1)
    bars = []
    for i, (day, net) in enumerate(series):
        h = round(max(net, 0) / top * (height - 14), 1)
        bars.append({"x": round(i * step + 1, 1), "y": round(height - h, 1), "w": round(max(step - 2, 1), 1),
                     "h": h, "day": day, "net_fen": net})
    return {"bars": bars, "width": width, "height": height, "top_fen": top}


def commission_by_creator_between(*, creator_ids, start: datetime.datetime, end: datetime.datetime) -> dict[int, int]:
    """Commission (gross, after refunds) of lines paid in [start, end), per creator — what the
    leaderboard and dashboard show as commission."""
    rows = (CommissionLine.objects.filter(creator_id__in=list(creator_ids), paid_at__gte=start, paid_at__lt=end)
            .values("creator_id").annotate(c=Sum("commission_fen")).values_list("creator_id", "c"))
    return {cid: int(c or 0) for cid, c in rows}
