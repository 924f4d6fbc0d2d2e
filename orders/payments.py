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


class PaymentGateway:
    name = ""
    success_answer = "success"
    fail_answer = "fail"

    def pay_url(self, payment) -> str:
        raise NotImplementedError

    def parse_notify(self, params: dict[str, str]) -> NotifyData:
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


GATEWAYS: dict[str, PaymentGateway] = {"sandbox": SandboxGateway()}


def get_gateway(name: str | None = None) -> PaymentGateway:
    return GATEWAYS[name or conf.get("PAYMENT_GATEWAY")]
