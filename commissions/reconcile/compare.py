"""The comparison itself: plain data in, findings out (no database, no network).

A finding is an order (trade, refund) only one side has, or whose amounts or status differ.
``difference_fen`` is always theirs − ours, a side without the row counting as 0: a positive
difference is money the other side says we are owed beyond our books.

Each finding carries its facts as data (``details``), rendered in the reader's language when
shown (``notes.py``), so a run made at night by a worker reads in Chinese and in English alike.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from affiliates.sources.values import CN_TZ
from orders.payments import StatementRow
from orders.selectors import PaymentRow, RefundRow

from .models import ItemKind
from .reports import TheirRow
from .selectors import OurLine

# Our line statuses and the sources' report statuses, in three classes that must agree.
OUR_CLASS = {"estimated": "open", "settled": "settled", "clawed_back": "settled", "cancelled": "cancelled"}
THEIR_CLASS = {"paid": "open", "confirmed": "open", "settled": "settled", "unpaid": "cancelled",
               "invalid": "cancelled"}


def our_class(line: OurLine) -> str:
    # Clawed back to nothing is how a settled line follows a report that closed the order.
    if line.status == "clawed_back" and not line.commission_fen:
        return "cancelled"
    return OUR_CLASS.get(line.status, line.status)


@dataclass(frozen=True)
class Finding:
    order_ref: str
    kind: str
    ours_fen: int | None
    theirs_fen: int | None
    details: tuple = ()

    @property
    def difference_fen(self) -> int:
        return (self.theirs_fen or 0) - (self.ours_fen or 0)


@dataclass
class Comparison:
    findings: list[Finding] = field(default_factory=list)
    ours_count: int = 0
    theirs_count: int = 0
    matched: int = 0
    ours_total_fen: int = 0
    theirs_total_fen: int = 0

    def count(self, kind: str) -> int:
        return sum(1 for f in self.findings if f.kind == kind)


def compare_source(*, day: datetime.date, ours: dict[str, OurLine], ours_elsewhere: dict[str, OurLine],
                   theirs: dict[str, TheirRow]) -> Comparison:
    """Our lines paid on ``day`` against the source's rows of that day.

    ``ours_elsewhere``: our lines (paid on another day) of the rows the source counts on this
    day. A row the source reports with no commission (unpaid, closed) and no line here is
    nothing owed either way, so it is not a finding."""
    result = Comparison()
    their_day = {ref: row for ref, row in theirs.items() if row.day == day or ref in ours}
    for ref in sorted(set(ours) | set(their_day)):
        line = ours.get(ref) or ours_elsewhere.get(ref)
        row = their_day.get(ref)
        if line is not None:
            result.ours_count += 1
            result.ours_total_fen += line.commission_fen
        if row is not None and (line is not None or row.commission_fen):
            result.theirs_count += 1
            result.theirs_total_fen += row.commission_fen
        if line is None:
            if row.commission_fen:
                result.findings.append(Finding(ref, ItemKind.MISSING_HERE, None, row.commission_fen,
                                               (("no_line", row.click_id),)))
            continue
        if row is None:
            result.findings.append(Finding(ref, ItemKind.MISSING_THERE, line.commission_fen, None,
                                           (("not_reported", day.isoformat()),)))
            continue
        finding = _line_against_row(line, row, day)
        if finding is None:
            result.matched += 1
        else:
            result.findings.append(finding)
    return result


def _line_against_row(line: OurLine, row: TheirRow, day: datetime.date) -> Finding | None:
    facts = []
    if line.commission_fen != row.commission_fen:
        facts.append(("commission", line.commission_fen, row.commission_fen))
    if line.settled_fen != row.settled_fen:
        facts.append(("settled", line.settled_fen, row.settled_fen))
    if our_class(line) != THEIR_CLASS.get(row.status, row.status):
        facts.append(("status", line.status, row.status))
    if not facts:
        return None
    paid_on = line.paid_at.astimezone(CN_TZ).date()
    if paid_on != day:
        facts.append(("paid_other_day", paid_on.isoformat()))
    amounts = next((f for f in facts if f[0] in ("commission", "settled")), None)
    ours, theirs = (amounts[1], amounts[2]) if amounts else (line.commission_fen, row.commission_fen)
    return Finding(line.order_ref, ItemKind.MISMATCH, ours, theirs, tuple(facts))


def compare_payments(*, payments: list[PaymentRow], refunds: list[RefundRow],
                     statement: list[StatementRow]) -> Comparison:
    """Our paid payments and paid-back refunds of a day against the gateway's statement.
    References: ``pay:<our trade number>``, ``refund:<our refund number>``."""
    result = Comparison()
    ours: dict[str, tuple[int, str]] = {}
    for p in payments:
        ours[f"pay:{p.number}"] = (p.amount_fen, p.gateway_trade_no)
    for r in refunds:
        ours[f"refund:{r.number}"] = (-r.amount_fen, r.gateway_refund_no)
    theirs: dict[str, tuple[int, str]] = {}
    for row in statement:
        ref = f"pay:{row.trade_number}" if row.kind == "pay" else f"refund:{row.refund_number}"
        gateway_no = row.gateway_trade_no if row.kind == "pay" else row.gateway_refund_no
        if ref in theirs:  # the gateway took one trade number twice: the second is money we never asked
            ref = f"{ref}/{gateway_no}"
        theirs[ref] = (row.amount_fen if row.kind == "pay" else -row.amount_fen, gateway_no)
    for ref in sorted(set(ours) | set(theirs)):
        mine, gateway = ours.get(ref), theirs.get(ref)
        if mine is not None:
            result.ours_count += 1
            result.ours_total_fen += mine[0]
        if gateway is not None:
            result.theirs_count += 1
            result.theirs_total_fen += gateway[0]
        # Amounts are shown as the money moved: a refund's amount is what went back (positive).
        sign = -1 if ref.startswith("refund:") else 1
        if gateway is None:
            result.findings.append(Finding(ref, ItemKind.MISSING_THERE, sign * mine[0], None, (("not_in_statement",),)))
        elif mine is None:
            result.findings.append(Finding(ref, ItemKind.MISSING_HERE, None, sign * gateway[0],
                                           (("not_in_our_books", gateway[1]),)))
        else:
            facts = []
            if mine[0] != gateway[0]:
                facts.append(("amount", sign * mine[0], sign * gateway[0]))
            if mine[1] and gateway[1] and mine[1] != gateway[1]:
                facts.append(("gateway_number", mine[1], gateway[1]))
            if facts:
                result.findings.append(Finding(ref, ItemKind.MISMATCH, sign * mine[0], sign * gateway[0], tuple(facts)))
            else:
                result.matched += 1
    return result
