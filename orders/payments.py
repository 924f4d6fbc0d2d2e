"""Payment gateways behind one interface, and the sandbox gateway that runs here.

A gateway turns a ``Payment`` into the URL where the shopper pays, and reads the asynchronous
notify it later POSTs to ``/pay/notify/<gateway>/``: it checks the signature and returns what
the notify says. The notify handler (``services.payments.payment_notify_handle``) does the rest
and answers in the gateway's format (``success_answer`` / ``fail_answer``).

The sandbox gateway signs with HMAC-SHA256 over the parameters sorted by name
(``k1=v1&k2=v2…``, the ``sign`` parameter left out) with ``PAYMENT_SANDBOX_SECRET``, the way
Alipay and WeChat Pay sign theirs.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.urls import reverse

from . import conf


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


GATEWAYS: dict[str, PaymentGateway] = {"sandbox": SandboxGateway()}


def get_gateway(name: str | None = None) -> PaymentGateway:
    return GATEWAYS[name or conf.get("PAYMENT_GATEWAY")]
