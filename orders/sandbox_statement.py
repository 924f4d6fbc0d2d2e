"""The sandbox gateway's statement (对账单): what it took and paid back on one day.

The sandbox keeps no books of its own (see ``SandboxGateway.refund``), so its statement is
read from what it did here: the trades it reported paid — every notify it signed (a forged one
is not the gateway's) that says ``SUCCESS``, once per gateway trade number, on the day the
first one arrived, with the amount it said — and the refunds it answered (``gateway_refund_no``).
A notify we refused (an amount that did not match, an unknown trade number) is still a trade
the gateway took, so the statement lists it and reconciliation finds it missing here.

``SANDBOX_FAULTS["payment"]`` (``recon_drop``, ``recon_alter``: see
``affiliates/sandbox/gateway.py``) leaves rows out or alters their amounts, keyed by our trade
or refund number. The request is signed like a notify and so is the answer::

    GET /pay/sandbox/statement/?bill_date=2026-12-01&nonce=…&timestamp=…&sign=…
    → {"bill_date": "2026-12-01", "gateway": "sandbox", "row_count": "3",
       "rows": "kind,time,out_trade_no,…\\npay,2026-12-01 10:00:00,P…,SBX…,,,2990\\n…", "sign": "…"}
"""
from __future__ import annotations

import datetime
import hmac

from affiliates.sandbox.gateway import recon_fault

from .models import NotifyOutcome, PaymentNotify, Refund, RefundStatus
from .payments import BILL_TZ, StatementRow, get_gateway, sign, statement_csv

GATEWAY = "sandbox"
FAULT_KEY = "payment"


def bill_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=BILL_TZ)
    return start, start + datetime.timedelta(days=1)


def _trades(start: datetime.datetime, end: datetime.datetime) -> list[StatementRow]:
    notifies = (PaymentNotify.objects.filter(gateway=GATEWAY, received_at__gte=start, received_at__lt=end)
                .exclude(outcome=NotifyOutcome.FORGED).order_by("received_at", "id")
                .values_list("params", "received_at"))
    first: dict[str, StatementRow] = {}
    for params, received_at in notifies:
        trade_no = str(params.get("trade_no") or "")
        if params.get("trade_status") != "SUCCESS" or not trade_no or trade_no in first:
            continue
        try:
            amount = int(params.get("total_fen"))
        except (TypeError, ValueError):
            continue
        first[trade_no] = StatementRow(kind="pay", at=received_at, trade_number=str(params.get("out_trade_no", "")),
                                       gateway_trade_no=trade_no, refund_number="", gateway_refund_no="",
                                       amount_fen=amount)
    if first:  # a trade notified again today was taken on the day of its first notify
        earlier = set(PaymentNotify.objects.filter(gateway=GATEWAY, received_at__lt=start,
                                                   params__trade_no__in=list(first))
                      .exclude(outcome=NotifyOutcome.FORGED).values_list("params__trade_no", flat=True))
        first = {k: v for k, v in first.items() if k not in earlier}
    return list(first.values())


def _refunds(start: datetime.datetime, end: datetime.datetime) -> list[StatementRow]:
    refunds = (Refund.objects.filter(payment__gateway=GATEWAY, status=RefundStatus.SUCCEEDED,
                                     refunded_at__gte=start, refunded_at__lt=end)
               .exclude(gateway_refund_no="").select_related("payment").order_by("refunded_at", "id"))
    return [StatementRow(kind="refund", at=r.refunded_at, trade_number=r.payment.number,
                         gateway_trade_no=r.payment.gateway_trade_no or "", refund_number=r.number,
                         gateway_refund_no=r.gateway_refund_no, amount_fen=r.amount_fen) for r in refunds]


def sandbox_statement_rows(day: datetime.date) -> list[StatementRow]:
    """The day's trades and refunds as the sandbox gateway reports them (faults applied)."""
    start, end = bill_day_bounds(day)
    rows = []
    for row in sorted(_trades(start, end) + _refunds(start, end), key=lambda r: (r.at, r.kind)):
        dropped, delta = recon_fault(FAULT_KEY, row.refund_number or row.trade_number)
        if dropped:
            continue
        if delta:
            row = StatementRow(**{**row.__dict__, "amount_fen": row.amount_fen + delta})
        rows.append(row)
    return rows


def sandbox_statement_answer(params: dict[str, str]) -> tuple[int, dict]:
    """(HTTP status, body) for a statement request: signed by the merchant, answered signed."""
    secret = get_gateway(GATEWAY).secret
    given = params.get("sign", "")
    if not given or not hmac.compare_digest(given, sign(params, secret)):
        return 403, {"error": "invalid sign"}
    try:
        day = datetime.date.fromisoformat(params.get("bill_date", ""))
    except ValueError:
        return 400, {"error": "bill_date must be YYYY-MM-DD"}
    rows = sandbox_statement_rows(day)
    body = {"bill_date": day.isoformat(), "gateway": GATEWAY, "row_count": str(len(rows)),
            "rows": statement_csv(rows)}
    body["sign"] = sign(body, secret)
    return 200, body
