"""Payout gateways (代付) behind one interface, and the sandbox payout gateway that runs here.

We send a signed payout request for one withdrawal; the gateway accepts it (once per withdrawal
number: sending the same number again answers the first acceptance) and later POSTs a signed
asynchronous result to our notify URL (``/payouts/notify/<gateway>/``), exactly as the payment
gateway of ``orders/payments.py`` does for payments. Both directions are signed with
HMAC-SHA256 over the parameters sorted by name (``k1=v1&k2=v2…``, ``sign`` and empty values left
out) with ``PAYOUT_SANDBOX_SECRET``.

Example of a request and of the result that comes back::

    out_payout_no=W20261203A1B2C3D4E5F6&amount_fen=5000&holder=张三&account_no=6222020200001234&sign=…
    notify_id=NSBXP…&out_payout_no=W2026…&payout_no=SBXP…&amount_fen=5000&status=SUCCESS&sign=…

The sandbox pays every account except those whose number ends in ``0000``: those fail
(``ACCOUNT_FROZEN``), so a failed payout can be tried by hand.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

SANDBOX_FAILING_SUFFIX = "0000"


class BadPayoutResult(ValueError):
    """A result whose signature does not verify or whose fields are malformed."""


class PayoutRefused(Exception):
    """The gateway refuses the payout request (bad signature, malformed)."""


@dataclass(frozen=True)
class PayoutAccepted:
    gateway_payout_no: str


@dataclass(frozen=True)
class PayoutResultData:
    notify_id: str
    withdrawal_number: str  # ours (``Withdrawal.number``)
    gateway_payout_no: str  # theirs
    amount_fen: int
    paid: bool
    reason: str


def sign(params: dict[str, str], secret: str) -> str:
    text = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sign" and params[k] != "")
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def _verified(params: dict[str, str], secret: str) -> bool:
    given = params.get("sign", "")
    return bool(given) and hmac.compare_digest(given, sign(params, secret))


class PayoutGateway:
    name = ""
    success_answer = "success"
    fail_answer = "fail"

    def request_params(self, *, number: str, amount_fen: int, holder_name: str, account_no: str,
                       notify_url: str) -> dict[str, str]:
        """The signed request for one withdrawal; the result will be posted to ``notify_url``."""
        raise NotImplementedError

    def submit(self, params: dict[str, str]) -> PayoutAccepted:
        """Hand the request over; the same ``out_payout_no`` is accepted once (a repeat answers the
        first acceptance). Raises ``PayoutRefused``."""
        raise NotImplementedError

    def parse_result(self, params: dict[str, str]) -> PayoutResultData:
        """Verify and read a result posted back; raises ``BadPayoutResult``."""
        raise NotImplementedError


class SandboxPayoutGateway(PayoutGateway):
    name = "sandbox"

    @property
    def secret(self) -> str:
        return settings.PAYOUT_SANDBOX_SECRET

    def request_params(self, *, number, amount_fen, holder_name, account_no, notify_url):
        params = {"out_payout_no": number, "amount_fen": str(amount_fen), "holder": holder_name,
                  "account_no": account_no, "notify_url": notify_url}
        params["sign"] = sign(params, self.secret)
        return params

    def submit(self, params):
        """Like a real gateway, the sandbox answers later: its signed result is posted to the
        request's ``notify_url`` by a task queued after the current transaction commits (eager
        Celery: right after the commit, in this process)."""
        if not _verified(params, self.secret):
            raise PayoutRefused("payout request: bad signature")
        if not params.get("out_payout_no") or not str(params.get("amount_fen", "")).isdigit():
            raise PayoutRefused("payout request: malformed")
        accepted = PayoutAccepted(gateway_payout_no=self.payout_no(params["out_payout_no"]))
        if params.get("notify_url"):
            from .tasks import sandbox_payout_result_send

            request = dict(params)
            transaction.on_commit(lambda: sandbox_payout_result_send.delay(request))
        return accepted

    def payout_no(self, number: str) -> str:
        """The sandbox's number for our withdrawal number: always the same one (idempotent)."""
        digest = hmac.new(self.secret.encode(), number.encode(), hashlib.sha256).hexdigest()[:16]
        return f"SBXP{digest.upper()}"

    def parse_result(self, params):
        if not _verified(params, self.secret):
            raise BadPayoutResult("bad signature")
        try:
            status = params["status"]
            if status not in ("SUCCESS", "FAILED"):
                raise ValueError(status)
            return PayoutResultData(
                notify_id=params["notify_id"], withdrawal_number=params["out_payout_no"],
                gateway_payout_no=params["payout_no"], amount_fen=int(params["amount_fen"]),
                paid=status == "SUCCESS", reason=params.get("reason", ""),
            )
        except (KeyError, ValueError) as exc:
            raise BadPayoutResult(f"malformed: {exc!r}") from None

    # --- the sandbox's own side: what it posts back --------------------------------------------

    def result_params(self, request: dict[str, str]) -> dict[str, str]:
        """The signed result the sandbox posts for an accepted request: paid, unless the account
        number ends in ``SANDBOX_FAILING_SUFFIX``."""
        number = request["out_payout_no"]
        paid = not request.get("account_no", "").endswith(SANDBOX_FAILING_SUFFIX)
        payout_no = self.payout_no(number)
        params = {"notify_id": f"N{payout_no}", "out_payout_no": number, "payout_no": payout_no,
                  "amount_fen": str(request["amount_fen"]), "status": "SUCCESS" if paid else "FAILED",
                  "reason": "" if paid else "ACCOUNT_FROZEN"}
        params["sign"] = sign(params, self.secret)
        return params


GATEWAYS: dict[str, PayoutGateway] = {"sandbox": SandboxPayoutGateway()}


def get_payout_gateway(name: str | None = None) -> PayoutGateway:
    return GATEWAYS[name or getattr(settings, "PAYOUT_GATEWAY", "sandbox")]
