"""Reads of reconciliation: our commission lines of a source and day (the only read this room
makes of the lead's ledger models), and the runs themselves."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from affiliates.sources.values import CN_TZ
from commissions.models import CommissionLine, LineStatus

from .models import ReconciliationItem, ReconciliationRun

SETTLED_STATUSES = (LineStatus.SETTLED, LineStatus.CLAWED_BACK)


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a day in Beijing time: the day the sources and gateways report by."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=CN_TZ)
    return start, start + datetime.timedelta(days=1)


@dataclass(frozen=True)
class OurLine:
    order_ref: str
    commission_fen: int
    status: str
    paid_at: datetime.datetime

    @property
    def settled(self) -> bool:
        return self.status in SETTLED_STATUSES

    @property
    def settled_fen(self) -> int:
        return self.commission_fen if self.settled else 0


_LINE_FIELDS = ("order_ref", "commission_fen", "status", "paid_at")


def outside_lines_for_day(*, source: str, day: datetime.date) -> dict[str, OurLine]:
    """Our lines of ``source`` paid on ``day`` (Beijing time), by order reference."""
    start, end = day_bounds(day)
    rows = (CommissionLine.objects.filter(source=source, paid_at__gte=start, paid_at__lt=end)
            .order_by("id").values_list(*_LINE_FIELDS))
    return {ref: OurLine(ref, commission, status, paid_at) for ref, commission, status, paid_at in rows}


def outside_lines_by_ref(*, refs) -> dict[str, OurLine]:
    """Our lines with these order references, whatever day they were paid."""
    out: dict[str, OurLine] = {}
    refs = sorted(set(refs))
    for start in range(0, len(refs), 1000):
        rows = CommissionLine.objects.filter(order_ref__in=refs[start:start + 1000]).values_list(*_LINE_FIELDS)
        out.update({ref: OurLine(ref, commission, status, paid_at) for ref, commission, status, paid_at in rows})
    return out


def run_for(*, kind: str, source: str, day: datetime.date) -> ReconciliationRun | None:
    return ReconciliationRun.objects.filter(kind=kind, source=source, day=day).first()


def run_items(run: ReconciliationRun, *, kind: str | None = None):
    qs = ReconciliationItem.objects.filter(run=run)
    return qs.filter(kind=kind) if kind else qs
