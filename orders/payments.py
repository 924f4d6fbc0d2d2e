"""Payment gateways behind one interface, and the sandbox gateway that runs here.

A gateway turns a ``Payment`` into the URL where the shopper pays, and reads the asynchronous
notify it later POSTs to ``/pay/notify/<gateway>/``: it checks the signature and returns what
the notify says. The notify handler (``services.payments.payment_notify_handle``) does the rest
and answers in the gateway's format (``success_answer`` / ``fail_answer``).

The sandbox gateway signs with HMAC-SHA256 over the parameters sorted by name
(``k1=v1&k2=v2…``, the ``sign`` parameter left out) with ``PAYMENT_SANDBOX_SECRET``, the way
Alipay and WeChat Pay sign theirs.

A gateway also serves its statement (对账单) of a day — every trade it took and every refund it
paid, by Beijing time as Chinese gateways cut their bills — which ``statement(day)`` fetches
and verifies (a request signed like a notify, an answer signed the same way; see
``orders/sandbox_statement.py`` for the sandbox's side). ``commissions.reconcile`` compares it
with our payments and refunds.
"""
from __future__ import annotations

import csv
import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from . import conf

#: the zone a gateway's statement day is cut in (Alipay and WeChat Pay bill by Beijing time)
BILL_TZ = ZoneInfo("Asia/Shanghai")
BILL_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
STATEMENT_COLUMNS = ("kind", "time", "out_trade_no", "trade_no", "out_refund_no", "refund_no", "amount_fen")
STATEMENT_TIMEOUT = (3.05, 30.0)


@dataclass(frozen=True)
class NotifyData:
    notify_id: str
    trade_number: str  # ours (``Payment.number``)
    gateway_trade_no: str  # theirs
    amount_fen: int
    paid: bool  # False: the gateway says the payment was cancelled/closed


class BadNotify(ValueError):
    """The notify is malformed or its signature does not verify."""


class GatewayUnavailable(Exception):
    """The gateway could not be reached or answered with a temporary error: try again later."""


class RefundRefused(Exception):
    """The gateway refuses the refund for good (unknown trade, more than was paid)."""


@dataclass(frozen=True)
class RefundDone:
    gateway_refund_no: str


class BadStatement(ValueError):
    """The statement is malformed, its signature does not verify, or the gateway refused to
    serve it (our request's signature, the date)."""


@dataclass(frozen=True)
class StatementRow:
    kind: str  # "pay" (a trade taken) or "refund" (money paid back)
    at: datetime
    trade_number: str  # ours (``Payment.number``)
    gateway_trade_no: str
    refund_number: str  # ours (``Refund.number``), "" for a trade
    gateway_refund_no: str
    amount_fen: int


@dataclass(frozen=True)
class Statement:
    day: date
    rows: list[StatementRow]


def statement_csv(rows: list[StatementRow]) -> str:
    """The statement's rows as the gateway writes them: a header, one CSV line per row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STATEMENT_COLUMNS)
    for r in rows:
        writer.writerow([r.kind, r.at.astimezone(BILL_TZ).strftime(BILL_TIME_FORMAT), r.trade_number,
                         r.gateway_trade_no, r.refund_number, r.gateway_refund_no, str(r.amount_fen)])
    return out.getvalue()


def statement_rows_parse(text: str) -> list[StatementRow]:
    lines = list(csv.reader(io.StringIO(text)))
    if not lines or tuple(lines[0]) != STATEMENT_COLUMNS:
        raise BadStatement("the statement has no header or an unknown one")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        if len(line) != len(STATEMENT_COLUMNS):
            raise BadStatement(f"statement line {n} has {len(line)} columns")
        kind, at, trade, gateway_trade, refund, gateway_refund, amount = line
        try:
            moment = datetime.strptime(at, BILL_TIME_FORMAT).replace(tzinfo=BILL_TZ)
            amount_fen = int(amount)
        except ValueError:
            raise BadStatement(f"statement line {n}: unreadable time or amount") from None
        if kind not in ("pay", "refund") or not trade or (kind == "refund" and not refund):
            raise BadStatement(f"statement line {n}: not a trade or a refund")
        rows.append(StatementRow(kind=kind, at=moment, trade_number=trade, gateway_trade_no=gateway_trade,
                                 refund_number=refund, gateway_refund_no=gateway_refund, amount_fen=amount_fen))
    return rows


_statement_session = requests.Session()


def statement_session() -> requests.Session:
    """The HTTP session statements are fetched with (tests and the demo mount an in-process
    transport on it)."""
    return _statement_session


class PaymentGateway:
    name = ""
    success_answer = "success"
    fail_answer = "fail"

    def pay_url(self, payment) -> str:
        raise NotImplementedError

    def parse_notify(self, params: dict[str, str]) -> NotifyData:
        raise NotImplementedError

    def refund(self, *, payment, refund_number: str, amount_fen: int) -> RefundDone:
        """Pay ``amount_fen`` of ``payment`` back to the shopper. The gateway refunds one
        ``refund_number`` once: calling again with the same number answers the first refund.
        Raises ``GatewayUnavailable`` (retry) or ``RefundRefused`` (never will)."""
        raise NotImplementedError

    def statement(self, day: date) -> Statement:
        """The gateway's statement (对账单) of ``day`` (Beijing time), its signature verified.
        Raises ``GatewayUnavailable`` (try later) or ``BadStatement`` (refused or forged)."""
        raise NotImplementedError


def sign(params: dict[str, str], secret: str) -> str:
    text = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sign" and params[k] != "")
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


class SandboxGateway(PaymentGateway):
    name = "sandbox"

    @property
    def secret(self) -> str:
        return conf.get("PAYMENT_SANDBOX_SECRET")

    def pay_url(self, payment) -> str:
        return reverse("orders:sandbox_pay", args=[payment.number])

    def parse_notify(self, params: dict[str, str]) -> NotifyData:
        given = params.get("sign", "")
        if not given or not hmac.compare_digest(given, sign(params, self.secret)):
            raise BadNotify("bad signature")
        try:
            return NotifyData(
                notify_id=params["notify_id"], trade_number=params["out_trade_no"], gateway_trade_no=params["trade_no"],
                amount_fen=int(params["total_fen"]), paid=params["trade_status"] == "SUCCESS",
            )
        except (KeyError, ValueError) as exc:
            raise BadNotify(f"malformed: {exc!r}") from None

    def refund(self, *, payment, refund_number: str, amount_fen: int) -> RefundDone:
        """The sandbox keeps no books of its own: it refunds a paid payment up to what was paid,
        and a refund number always maps to the same sandbox refund number."""
        from .models import PaymentStatus, RefundStatus

        if payment.status != PaymentStatus.PAID or not payment.gateway_trade_no:
            raise RefundRefused(f"trade {payment.number} was not paid")
        refunded = sum(payment.refunds.filter(status=RefundStatus.SUCCEEDED).exclude(number=refund_number)
                       .values_list("amount_fen", flat=True))
        if amount_fen <= 0 or refunded + amount_fen > payment.amount_fen:
            raise RefundRefused(f"refund of {amount_fen} fen exceeds what is left of {payment.amount_fen}")
        digest = hmac.new(self.secret.encode(), refund_number.encode(), hashlib.sha256).hexdigest()[:16]
        return RefundDone(gateway_refund_no=f"SBXR{digest.upper()}")

    def statement_url(self) -> str:
        base = conf.get("PAYMENT_SANDBOX_BASE_URL") or settings.SITE_BASE_URL
        return base.rstrip("/") + reverse("orders:sandbox_statement")

    def statement(self, day: date) -> Statement:
        params = {"bill_date": day.isoformat(), "nonce": secrets.token_hex(8),
                  "timestamp": timezone.now().astimezone(BILL_TZ).strftime(BILL_TIME_FORMAT)}
        params["sign"] = sign(params, self.secret)
        try:
            response = statement_session().get(self.statement_url(), params=params, timeout=STATEMENT_TIMEOUT)
        except requests.RequestException as exc:
            raise GatewayUnavailable(f"statement of {day}: {type(exc).__name__}") from None
        if response.status_code >= 500:
            raise GatewayUnavailable(f"statement of {day}: HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise BadStatement(f"statement of {day}: not JSON (HTTP {response.status_code})") from None
        if not isinstance(body, dict):
            raise BadStatement(f"statement of {day}: not a statement")
        if response.status_code != 200:
            raise BadStatement(f"statement of {day} refused: {str(body.get('error', ''))[:200]}")
        fields = {k: str(v) for k, v in body.items() if k != "sign"}
        given = str(body.get("sign", ""))
        if not given or not hmac.compare_digest(given, sign(fields, self.secret)):
            raise BadStatement(f"statement of {day}: bad signature")
        if fields.get("bill_date") != day.isoformat():
            raise BadStatement(f"statement of {day}: it is the statement of {fields.get('bill_date')!r}")
        rows = statement_rows_parse(fields.get("rows", ""))
        if str(len(rows)) != fields.get("row_count"):
            raise BadStatement(f"statement of {day}: {len(rows)} rows, the header says {fields.get('row_count')}")
        return Statement(day=day, rows=rows)


GATEWAYS: dict[str, PaymentGateway] = {"sandbox": SandboxGateway()}


def get_gateway(name: str | None = None) -> PaymentGateway:
    return GATEWAYS[name or conf.get("PAYMENT_GATEWAY")]
