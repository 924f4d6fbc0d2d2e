"""Withdrawals as a handful of verbs, for creators and shops alike (an ``Owner``).

- ``payout_account_bind``: the bank account money goes to; its holder must be the verified
  real name of the creator (for a shop: of the shop's owner, see README).
- ``withdrawal_request``: minimum, available balance, daily limit (the site's day, Asia/Shanghai)
  and ``Idempotency-Key`` checked with the owner's *available* ledger account row locked first,
  so concurrent requests never overdraw; the amount is held at once (available → held).
- ``withdrawal_approve`` / ``withdrawal_reject`` (finance, in admin): rejected releases the hold;
  approved is sent, after commit, to the payout gateway as a signed request
  (``withdrawal_payout_submit``, idempotent by withdrawal number).
- ``payout_result_handle``: the gateway's signed asynchronous result: paid → held to paid out,
  failed → hold released. A forged, unknown, altered or contradicting result changes nothing.

``_move`` is the one place a withdrawal's status changes: the transitions table, the ledger
posting of the move, the history row and the owner's 电商小助手 message after commit.
Ledger keys: ``withdrawal:<number>:hold`` / ``:release`` / ``:paid`` (a replay posts nothing).
"""
from __future__ import annotations

import hashlib
import json
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from affiliates.models import Shop
from commissions.ledger import account_get, ledger_post
from commissions.models import AccountKind, LedgerAccount, TransactionKind
from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.money import MoneyFormatError, fen_to_yuan, yuan_to_fen
from creators.selectors import real_name_matches, withdrawal_block_reason
from notices.models import OfficialKind
from notices.services import message_send_on_commit

from .gateway import BadPayoutResult, PayoutRefused, get_payout_gateway
from .models import RELEASED, TRANSITIONS, PayoutAccount, PayoutResult, ResultOutcome, Withdrawal, WithdrawalStatus
from .owners import Owner
from .selectors import withdrawn_today_fen

logger = logging.getLogger("payouts")

ACCOUNT_NO_DIGITS = (12, 30)
# What the gateway's failure codes mean, as msgids (each reader sees them in their language).
FAILURE_REASONS = {"ACCOUNT_FROZEN": gettext_noop("the bank account is frozen"),
                   "REQUEST_REFUSED": gettext_noop("the payment gateway refused the payout request")}

# The owner's message for each status: (title, body) msgids filled with params when shown.
MESSAGES = {
    WithdrawalStatus.REQUESTED: gettext_noop(
        "We received your withdrawal of ¥%(amount)s to %(account)s. It is under review; the money is held "
        "until it is paid out."),
    WithdrawalStatus.APPROVED: gettext_noop(
        "Your withdrawal of ¥%(amount)s was approved and is being paid out to %(account)s."),
    WithdrawalStatus.PAID: gettext_noop("Your withdrawal of ¥%(amount)s was paid to %(account)s."),
    WithdrawalStatus.FAILED: gettext_noop(
        "Your withdrawal of ¥%(amount)s could not be paid out (%(reason)s); the money is back in your "
        "available balance."),
    WithdrawalStatus.REJECTED: gettext_noop(
        "Your withdrawal of ¥%(amount)s was rejected: %(reason)s. The money is back in your available balance."),
}
TITLES = {False: gettext_noop("Withdrawal %(number)s: %(status)s"),
          True: gettext_noop("Shop withdrawal %(number)s: %(status)s")}


# --- helpers -------------------------------------------------------------------------------------

def _lock_available(owner: Owner) -> LedgerAccount:
    """The owner's available account row, locked: every money move of a withdrawal takes it first,
    so requests, binds and decisions of one owner queue behind each other and never deadlock."""
    account = account_get(owner.kind, owner.id, AccountKind.AVAILABLE)
    return LedgerAccount.objects.select_for_update().get(pk=account.pk)


def _owner_of(withdrawal: Withdrawal) -> Owner:
    if withdrawal.owner_kind == "shop":
        shop = Shop.objects.select_related("owner").filter(pk=withdrawal.owner_id).first()
        return Owner(withdrawal.owner_kind, withdrawal.owner_id, shop.owner if shop else None)
    return Owner(withdrawal.owner_kind, withdrawal.owner_id,
                 get_user_model().objects.filter(pk=withdrawal.owner_id).first())


def _tell(withdrawal: Withdrawal, owner: Owner) -> None:
    """The owner (the creator, or the shop's owner) hears from 电商小助手 once per status."""
    if owner.user is None:
        return
    with translation.override(None):  # the English msgid: each reader sees it in their own language
        status = str(WithdrawalStatus(withdrawal.status).label)
    reason = withdrawal.reason
    params = {"number": withdrawal.number, "status": status, "amount": fen_to_yuan(withdrawal.amount_fen),
              "account": str(withdrawal.account), "reason": FAILURE_REASONS.get(reason, reason) or "-"}
    message_send_on_commit(
        recipient=owner.user, sender_handle_or_user=OfficialKind.COMMERCE_ASSISTANT,
        kind=f"withdrawal.{withdrawal.status}", dedupe_key=f"withdrawal:{withdrawal.number}:{withdrawal.status}",
        title=TITLES[owner.is_shop], body=MESSAGES[withdrawal.status], params=params, link=owner.page_url())


def _post(withdrawal: Withdrawal, step: str, kind: str, legs) -> None:
    ledger_post(key=f"withdrawal:{withdrawal.number}:{step}", kind=kind, legs=legs, memo=withdrawal.number)


def _move(withdrawal: Withdrawal, to: str, *, owner: Owner, available: LedgerAccount, actor=None,
          reason: str = "", note: str = "") -> Withdrawal:
    """THE one place a withdrawal's status changes. The caller holds the owner's available row
    (``available``) and the withdrawal's row, both locked, in that order."""
    if to not in TRANSITIONS[withdrawal.status]:
        raise Conflict(_("A withdrawal that is “%(status)s” cannot become “%(to)s”.") % {
            "status": withdrawal.get_status_display(), "to": WithdrawalStatus(to).label},
            field="status", code="transition_refused")
    now = timezone.now()
    withdrawal.status = to
    if reason:
        withdrawal.reason = reason[:200]
    if to in (WithdrawalStatus.APPROVED, WithdrawalStatus.REJECTED):
        withdrawal.decided_at, withdrawal.decided_by = now, actor
    if to in (WithdrawalStatus.PAID, WithdrawalStatus.FAILED, WithdrawalStatus.REJECTED):
        withdrawal.finished_at = now
    if actor is not None:
        withdrawal._history_user = actor
    withdrawal._change_reason = note or str(WithdrawalStatus(to).label)
    withdrawal.save()
    amount = withdrawal.amount_fen
    held = account_get(owner.kind, owner.id, AccountKind.HELD)
    if to in RELEASED:
        _post(withdrawal, "release", TransactionKind.WITHDRAWAL_RELEASE, [(held, -amount), (available, amount)])
    elif to == WithdrawalStatus.PAID:
        paid_out = account_get(owner.kind, owner.id, AccountKind.PAID_OUT)
        _post(withdrawal, "paid", TransactionKind.WITHDRAWAL_PAID, [(held, -amount), (paid_out, amount)])
    _tell(withdrawal, owner)
    return withdrawal


def _locked(withdrawal_id: int) -> tuple[Withdrawal, Owner, LedgerAccount]:
    """The withdrawal and its owner's available row, locked in the one order (available first)."""
    found = Withdrawal.objects.filter(pk=withdrawal_id).first()
    if found is None:
        raise NotFound(_("No such withdrawal."), field="withdrawal")
    owner = _owner_of(found)
    available = _lock_available(owner)
    withdrawal = Withdrawal.objects.select_for_update().select_related("account").get(pk=withdrawal_id)
    return withdrawal, owner, available


# --- payout accounts -------------------------------------------------------------------------------

def payout_account_bind(*, owner: Owner, holder_name: str, bank_name: str, account_no: str,
                        actor=None) -> PayoutAccount:
    """Bind the account money is paid to; a new one replaces the one in use (kept in history)."""
    holder_name = " ".join((holder_name or "").split())
    bank_name = " ".join((bank_name or "").split())
    account_no = "".join((account_no or "").split()).replace("-", "")
    if not holder_name:
        raise InvalidInput(_("Enter the account holder's name."), field="holder_name", code="required")
    if not real_name_matches(user=owner.user, name=holder_name):
        message = (_("The account holder must be the shop owner's verified real name.") if owner.is_shop
                   else _("The account holder must be your verified real name."))
        raise InvalidInput(message, field="holder_name", code="not_real_name")
    if not bank_name:
        raise InvalidInput(_("Enter the bank."), field="bank_name", code="required")
    if len(bank_name) > 64:
        raise InvalidInput(_("A bank name is at most 64 characters."), field="bank_name", code="too_long")
    low, high = ACCOUNT_NO_DIGITS
    if not (account_no.isdigit() and low <= len(account_no) <= high):
        raise InvalidInput(_("A bank account number has %(low)s to %(high)s digits.") % {"low": low, "high": high},
                           field="account_no", code="invalid")
    with transaction.atomic():
        _lock_available(owner)
        for old in PayoutAccount.objects.select_for_update().filter(owner_kind=owner.kind, owner_id=owner.id,
                                                                     active=True):
            old.active = False
            if actor is not None:
                old._history_user = actor
            old.save(update_fields=["active", "updated_at"])
        account = PayoutAccount(owner_kind=owner.kind, owner_id=owner.id, holder_name=holder_name,
                                bank_name=bank_name, account_no=account_no, bound_by=actor)
        if actor is not None:
            account._history_user = actor
        account.save()
    return account


# --- requests --------------------------------------------------------------------------------------

def amount_parse(value) -> int:
    """Fen of a yuan amount as typed (``"12.5"``, ``"12.50"``); anything else is a 400 on ``amount``."""
    if value is None or isinstance(value, bool) or str(value).strip() == "":
        raise InvalidInput(_("Enter the amount to withdraw in yuan, e.g. 100 or 99.50."), field="amount",
                           code="required")
    try:
        return yuan_to_fen(str(value))
    except MoneyFormatError:
        raise InvalidInput(_("Enter the amount to withdraw in yuan, with at most two decimals."), field="amount",
                           code="invalid") from None


def _digest(owner: Owner, amount_fen: int) -> str:
    body = {"owner_kind": owner.kind, "owner_id": owner.id, "amount_fen": amount_fen}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _replay(owner: Owner, key: str, digest: str) -> Withdrawal | None:
    found = Withdrawal.objects.filter(owner_kind=owner.kind, owner_id=owner.id, idempotency_key=key).first()
    if found is not None and found.request_digest != digest:
        raise Conflict(_("This idempotency key was already used for a different withdrawal."),
                       field="Idempotency-Key", code="idempotency_key_reused")
    return found


def _new_number() -> str:
    return "W" + timezone.localtime().strftime("%y%m%d") + secrets.token_hex(6).upper()


def withdrawal_request(*, owner: Owner, amount_fen: int, idempotency_key: str = "",
                       actor=None) -> tuple[Withdrawal, bool]:
    """Ask to withdraw ``amount_fen``; returns (withdrawal, created). The same ``idempotency_key``
    with the same amount returns the first withdrawal (``created`` False); with another, 409."""
    key = (idempotency_key or "").strip()
    if len(key) > 64:
        raise InvalidInput(_("An idempotency key is at most 64 characters."), field="Idempotency-Key")
    digest = _digest(owner, amount_fen)
    if key and (found := _replay(owner, key, digest)) is not None:
        return found, False
    if not owner.is_shop and (blocked := withdrawal_block_reason(owner.user)):
        raise Forbidden(blocked, field="withdrawal", code="withdrawals_frozen")
    minimum = settings.WITHDRAWAL_MIN_FEN
    if amount_fen < minimum:
        raise InvalidInput(_("The smallest withdrawal is ¥%(min)s.") % {"min": fen_to_yuan(minimum)}, field="amount",
                           code="below_minimum")
    try:
        with transaction.atomic():
            available = _lock_available(owner)
            if key and (found := _replay(owner, key, digest)) is not None:
                return found, False
            account = PayoutAccount.objects.filter(owner_kind=owner.kind, owner_id=owner.id, active=True).first()
            if account is None:
                raise InvalidInput(_("Bind a payout account first."), field="account", code="no_payout_account")
            if amount_fen > available.balance_fen:
                raise InvalidInput(_("You can withdraw at most ¥%(max)s now.") % {
                    "max": fen_to_yuan(max(available.balance_fen, 0))}, field="amount", code="above_available")
            limit = settings.WITHDRAWAL_DAILY_LIMIT_FEN
            used = withdrawn_today_fen(owner)
            if used + amount_fen > limit:
                raise InvalidInput(_("Withdrawals are limited to ¥%(limit)s a day; ¥%(left)s is left today.") % {
                    "limit": fen_to_yuan(limit), "left": fen_to_yuan(max(limit - used, 0))}, field="amount",
                    code="above_daily_limit")
            withdrawal = Withdrawal(number=_new_number(), owner_kind=owner.kind, owner_id=owner.id, account=account,
                                    amount_fen=amount_fen, requested_by=actor, idempotency_key=key,
                                    request_digest=digest)
            if actor is not None:
                withdrawal._history_user = actor
            withdrawal._change_reason = str(WithdrawalStatus.REQUESTED.label)
            withdrawal.save()
            held = account_get(owner.kind, owner.id, AccountKind.HELD)
            _post(withdrawal, "hold", TransactionKind.WITHDRAWAL_HOLD, [(available, -amount_fen), (held, amount_fen)])
            _tell(withdrawal, owner)
    except IntegrityError:
        # Only a same-key request that won a race without the row lock (SQLite) gets here.
        if key and (found := _replay(owner, key, digest)) is not None:
            return found, False
        raise
    return withdrawal, True


# --- decisions (finance) -------------------------------------------------------------------------

def withdrawal_reject(*, withdrawal_id: int, actor, reason: str) -> Withdrawal:
    """Refuse a withdrawal under review: the held money goes back to available."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for rejecting: the owner reads it."), field="reason", code="required")
    with transaction.atomic():
        withdrawal, owner, available = _locked(withdrawal_id)
        return _move(withdrawal, WithdrawalStatus.REJECTED, owner=owner, available=available, actor=actor,
                     reason=reason)


def withdrawal_approve(*, withdrawal_id: int, actor, notify_url: str = "") -> Withdrawal:
    """Approve a withdrawal under review; once committed, its payout is sent to the gateway
    (``withdrawal_payout_submit``), which answers later at ``notify_url``."""
    gateway = get_payout_gateway()
    with transaction.atomic():
        withdrawal, owner, available = _locked(withdrawal_id)
        withdrawal.gateway = gateway.name
        _move(withdrawal, WithdrawalStatus.APPROVED, owner=owner, available=available, actor=actor)
        url = notify_url or payout_notify_url(gateway.name)
        transaction.on_commit(lambda: _submit_later(withdrawal.pk, url))
    return withdrawal


def payout_notify_url(gateway_name: str) -> str:
    return settings.SITE_BASE_URL.rstrip("/") + reverse("payouts:notify", args=[gateway_name])


def _submit_later(withdrawal_id: int, notify_url: str) -> None:
    from .tasks import payout_submit_task

    payout_submit_task.delay(withdrawal_id, notify_url)


def withdrawal_payout_submit(*, withdrawal_id: int, notify_url: str) -> Withdrawal:
    """Send the signed payout request of an approved withdrawal. The gateway pays one withdrawal
    number once, so sending again (a retry, a redelivered task) is safe."""
    with transaction.atomic():
        withdrawal = (Withdrawal.objects.select_for_update().select_related("account")
                      .filter(pk=withdrawal_id).first())
        if withdrawal is None or withdrawal.status != WithdrawalStatus.APPROVED:
            return withdrawal
        gateway = get_payout_gateway(withdrawal.gateway or None)
        params = gateway.request_params(number=withdrawal.number, amount_fen=withdrawal.amount_fen,
                                        holder_name=withdrawal.account.holder_name,
                                        account_no=withdrawal.account.account_no, notify_url=notify_url)
        accepted = gateway.submit(params)
        if withdrawal.gateway_payout_no != accepted.gateway_payout_no:
            withdrawal.gateway, withdrawal.gateway_payout_no = gateway.name, accepted.gateway_payout_no
            withdrawal._change_reason = str(_("Payout sent to the gateway"))
            withdrawal.save(update_fields=["gateway", "gateway_payout_no", "updated_at"])
        logger.info("payout %s sent to %s: %s", withdrawal.number, gateway.name, accepted.gateway_payout_no)
    return withdrawal


def withdrawal_payout_refused(*, withdrawal_id: int, detail: str) -> Withdrawal | None:
    """The gateway refused an approved withdrawal's payout request outright (it will never accept
    it as it is): the withdrawal fails, its hold goes back to the available balance and the owner
    is told, instead of waiting as "approved, paying out" for ever."""
    with transaction.atomic():
        withdrawal, owner, available = _locked(withdrawal_id)
        if withdrawal.status != WithdrawalStatus.APPROVED or withdrawal.gateway_payout_no:
            return withdrawal
        logger.error("payout of withdrawal %s REFUSED by the gateway: %s", withdrawal.number, detail)
        return _move(withdrawal, WithdrawalStatus.FAILED, owner=owner, available=available,
                     reason="REQUEST_REFUSED", note=(_("Payout request refused by the gateway") + ": " + detail)[:100])


def payouts_resend_due(*, now=None) -> int:
    """Send again every approved withdrawal whose payout request never reached the gateway (the
    network failed, or a worker died between approval and sending) after
    ``PAYOUT_RESEND_AFTER_SECONDS``. Sending is idempotent by withdrawal number, so a request that
    did arrive is not paid twice. Returns how many were sent again."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.PAYOUT_RESEND_AFTER_SECONDS)
    due = list(Withdrawal.objects.filter(status=WithdrawalStatus.APPROVED, gateway_payout_no="",
                                         decided_at__lt=cutoff).values_list("pk", "gateway"))
    for pk, gateway in due:
        _submit_later(pk, payout_notify_url(gateway or get_payout_gateway().name))
    return len(due)


# --- the gateway's result ----------------------------------------------------------------------------

def _log_result(gateway: str, params: dict, outcome: str, withdrawal: Withdrawal | None = None) -> None:
    PayoutResult.objects.create(gateway=gateway, notify_id=params.get("notify_id", "")[:64],
                                withdrawal_number=params.get("out_payout_no", "")[:64], withdrawal=withdrawal,
                                params=params, outcome=outcome)


def payout_result_handle(*, gateway_name: str, params: dict[str, str]) -> tuple[bool, str]:
    """Apply one signed result; returns (accepted?, outcome). Accepted tells the gateway to stop
    resending: an applied result or a replay of it. Everything else changes nothing."""
    gateway = get_payout_gateway(gateway_name)
    params = {k: str(v) for k, v in params.items()}
    try:
        data = gateway.parse_result(params)
    except BadPayoutResult as exc:
        logger.warning("payout result REFUSED (forged: %s) gateway=%s out_payout_no=%s", exc, gateway.name,
                       params.get("out_payout_no", ""))
        _log_result(gateway.name, params, ResultOutcome.FORGED)
        return False, ResultOutcome.FORGED
    found = Withdrawal.objects.filter(number=data.withdrawal_number, gateway=gateway.name).first()
    if found is None or (found.gateway_payout_no and found.gateway_payout_no != data.gateway_payout_no):
        logger.warning("payout result REFUSED (unknown payout) out_payout_no=%s payout_no=%s",
                       data.withdrawal_number, data.gateway_payout_no)
        _log_result(gateway.name, params, ResultOutcome.UNKNOWN, found)
        return False, ResultOutcome.UNKNOWN
    with transaction.atomic():
        withdrawal, owner, available = _locked(found.pk)
        outcome_status = WithdrawalStatus.PAID if data.paid else WithdrawalStatus.FAILED
        if data.amount_fen != withdrawal.amount_fen:
            logger.warning("payout result REFUSED (amount %s fen, expected %s) out_payout_no=%s", data.amount_fen,
                           withdrawal.amount_fen, withdrawal.number)
            outcome = ResultOutcome.AMOUNT_MISMATCH
        elif withdrawal.status == outcome_status:
            outcome = ResultOutcome.REPLAYED
        elif withdrawal.status != WithdrawalStatus.APPROVED:
            logger.warning("payout result REFUSED (says %s, withdrawal is %s) out_payout_no=%s", outcome_status,
                           withdrawal.status, withdrawal.number)
            outcome = ResultOutcome.CONFLICTING
        else:
            if not withdrawal.gateway_payout_no:
                withdrawal.gateway_payout_no = data.gateway_payout_no
            _move(withdrawal, outcome_status, owner=owner, available=available, reason=data.reason,
                  note=f"payout result {data.notify_id}")
            outcome = ResultOutcome.APPLIED
        _log_result(gateway.name, params, outcome, withdrawal)
    return outcome in (ResultOutcome.APPLIED, ResultOutcome.REPLAYED), outcome


__all__ = ["PayoutRefused", "amount_parse", "payout_account_bind", "payout_result_handle", "withdrawal_approve",
           "withdrawal_payout_submit", "withdrawal_reject", "withdrawal_request", "withdrawn_today_fen"]
