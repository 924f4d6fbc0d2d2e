"""Payout accounts and withdrawals (提现) of creators and shops.

A withdrawal moves money of its owner's ledger accounts (``commissions.ledger``): requested →
available to held; paid → held to paid out; rejected or failed → held back to available. Every
status change goes through ``services._move`` (the transitions table below) and is kept in the
withdrawal's history (django-simple-history); payout accounts keep theirs the same way.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commissions.models import OwnerKind
from core.models import TimeStampedModel

# Creators and shops withdraw; the platform's accounts never do.
PAYOUT_OWNER_KINDS = [(OwnerKind.CREATOR.value, OwnerKind.CREATOR.label), (OwnerKind.SHOP.value, OwnerKind.SHOP.label)]


class PayoutAccount(TimeStampedModel):
    """The bank account an owner's money is paid to. Its holder is the verified real name of the
    creator (or of the shop's owner); a new binding replaces the one in use, never edits it."""

    owner_kind = models.CharField(_("owner kind"), max_length=8, choices=PAYOUT_OWNER_KINDS)
    owner_id = models.BigIntegerField(_("owner id"))
    holder_name = models.CharField(_("account holder"), max_length=64)
    bank_name = models.CharField(_("bank"), max_length=64)
    account_no = models.CharField(_("account number"), max_length=32)
    active = models.BooleanField(_("in use"), default=True)
    bound_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("bound by"))
    history = HistoricalRecords(verbose_name=_("historical payout account"))

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner_kind", "owner_id"], condition=Q(active=True),
                                    name="payouts_one_active_account_per_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.masked_account_no}"

    @property
    def masked_account_no(self) -> str:
        return f"**** {self.account_no[-4:]}"


class WithdrawalStatus(models.TextChoices):
    REQUESTED = "requested", _("Under review")
    APPROVED = "approved", _("Approved, paying out")
    PAID = "paid", _("Paid out")
    FAILED = "failed", _("Payout failed")
    REJECTED = "rejected", _("Rejected")


# The only moves a withdrawal can make: failed and rejected release the hold, paid moves it to paid out.
TRANSITIONS: dict[str, frozenset[str]] = {
    WithdrawalStatus.REQUESTED: frozenset({WithdrawalStatus.APPROVED, WithdrawalStatus.REJECTED}),
    WithdrawalStatus.APPROVED: frozenset({WithdrawalStatus.PAID, WithdrawalStatus.FAILED}),
    WithdrawalStatus.PAID: frozenset(),
    WithdrawalStatus.FAILED: frozenset(),
    WithdrawalStatus.REJECTED: frozenset(),
}
# Statuses whose money did not leave: they do not count towards the daily limit.
RELEASED = (WithdrawalStatus.REJECTED, WithdrawalStatus.FAILED)


class Withdrawal(TimeStampedModel):
    number = models.CharField(_("withdrawal number"), max_length=32, unique=True)
    owner_kind = models.CharField(_("owner kind"), max_length=8, choices=PAYOUT_OWNER_KINDS)
    owner_id = models.BigIntegerField(_("owner id"))
    account = models.ForeignKey(PayoutAccount, models.PROTECT, related_name="withdrawals",
                                verbose_name=_("payout account"))
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    status = models.CharField(_("status"), max_length=12, choices=WithdrawalStatus.choices,
                              default=WithdrawalStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, blank=True)
    request_digest = models.CharField(_("request digest"), max_length=64, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    gateway = models.CharField(_("payout gateway"), max_length=16, blank=True)
    gateway_payout_no = models.CharField(_("gateway payout number"), max_length=40, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    history = HistoricalRecords(verbose_name=_("historical withdrawal"))

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payouts_withdrawal_amount_positive"),
            models.UniqueConstraint(fields=["owner_kind", "owner_id", "idempotency_key"],
                                    condition=~Q(idempotency_key=""), name="payouts_withdrawal_idempotency"),
        ]
        indexes = [models.Index(fields=["owner_kind", "owner_id", "created_at"], name="payouts_withdrawal_owner")]

    def __str__(self) -> str:
        return self.number


class ResultOutcome(models.TextChoices):
    APPLIED = "applied", _("Applied")
    REPLAYED = "replayed", _("Replayed (no change)")
    FORGED = "forged", _("Refused: bad signature")
    UNKNOWN = "unknown", _("Refused: unknown payout")
    AMOUNT_MISMATCH = "amount_mismatch", _("Refused: amount differs")
    CONFLICTING = "conflicting", _("Refused: contradicts the recorded result")


class PayoutResult(models.Model):
    """Every result the payout gateway posted back, kept as received (forged ones too)."""

    gateway = models.CharField(_("payout gateway"), max_length=16)
    notify_id = models.CharField(_("notify id"), max_length=64, blank=True)
    withdrawal_number = models.CharField(_("withdrawal number"), max_length=64, blank=True)
    withdrawal = models.ForeignKey(Withdrawal, models.SET_NULL, null=True, blank=True, related_name="results",
                                   verbose_name=_("withdrawal"))
    params = models.JSONField(_("parameters"), default=dict)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ResultOutcome.choices)
    received_at = models.DateTimeField(_("arrived at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("payout result")
        verbose_name_plural = _("payout results")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.withdrawal_number} {self.get_outcome_display()}"
