"""The commissions room: the double-entry ledger, technical service fee rates and commission lines.

Money is integer fen, rates integer basis points. Every amount an account holds is derived from
its entries; ``LedgerAccount.balance_fen`` is a cached sum that ``ledger_check`` verifies.

Sign convention: an entry's amount is what it adds to its account's balance as its owner sees it
(a creator's or shop's money is positive). The platform's clearing accounts hold the other side
of the money that came in (gateway and outside sources) and therefore run negative. Every
transaction sums to zero.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OwnerKind(models.TextChoices):
    CREATOR = "creator", _("Creator")
    SHOP = "shop", _("Shop")
    PLATFORM = "platform", _("Platform")


class AccountKind(models.TextChoices):
    # Creators and shops
    PENDING = "pending", _("Pending (not yet settled)")
    AVAILABLE = "available", _("Available")
    HELD = "held", _("Held for withdrawal")
    PAID_OUT = "paid_out", _("Paid out")
    # The platform
    GATEWAY_CLEARING = "gateway_clearing", _("Payment gateway clearing")
    SOURCE_CLEARING = "source_clearing", _("Outside sources clearing")
    FEE_REVENUE = "fee_revenue", _("Technical service fee revenue")
    PAYOUT_CLEARING = "payout_clearing", _("Payout clearing")


OWNER_ACCOUNT_KINDS = (AccountKind.PENDING, AccountKind.AVAILABLE, AccountKind.HELD, AccountKind.PAID_OUT)
PLATFORM_ACCOUNT_KINDS = (AccountKind.GATEWAY_CLEARING, AccountKind.SOURCE_CLEARING, AccountKind.FEE_REVENUE,
                          AccountKind.PAYOUT_CLEARING)


class LedgerAccount(models.Model):
    """One account of one owner (a creator's user id, a shop id, or 0 for the platform)."""

    owner_kind = models.CharField(_("owner kind"), max_length=8, choices=OwnerKind.choices)
    owner_id = models.BigIntegerField(_("owner id"))
    kind = models.CharField(_("account"), max_length=20, choices=AccountKind.choices)
    balance_fen = models.BigIntegerField(_("balance (fen, cached)"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        ordering = ["owner_kind", "owner_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["owner_kind", "owner_id", "kind"], name="ledger_account_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_owner_kind_display()} {self.owner_id} · {self.get_kind_display()}"


class TransactionKind(models.TextChoices):
    SALE = "sale", _("Sale paid")
    REFUND = "refund", _("Refund")
    CLAWBACK = "clawback", _("Clawback after settlement")
    PROCEEDS_RELEASE = "proceeds_release", _("Shop proceeds released (order completed)")
    SETTLEMENT = "settlement", _("Commission settlement")
    REPORT = "report", _("Outside order report")
    WITHDRAWAL_HOLD = "withdrawal_hold", _("Withdrawal requested (held)")
    WITHDRAWAL_RELEASE = "withdrawal_release", _("Withdrawal released")
    WITHDRAWAL_PAID = "withdrawal_paid", _("Withdrawal paid out")
    PAYOUT_SETTLED = "payout_settled", _("Payout settled with the bank")


class LedgerTransaction(models.Model):
    """One business event. ``key`` is unique: posting the same event again posts nothing."""

    key = models.CharField(_("event key"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TransactionKind.choices)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.key


class LedgerEntry(models.Model):
    """One leg of a transaction. Never updated or deleted (a trigger refuses it on PostgreSQL)."""

    id = models.BigAutoField(primary_key=True)
    transaction = models.ForeignKey(LedgerTransaction, models.PROTECT, related_name="entries",
                                    verbose_name=_("transaction"))
    account = models.ForeignKey(LedgerAccount, models.PROTECT, related_name="entries", verbose_name=_("account"))
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    line = models.ForeignKey("commissions.CommissionLine", models.PROTECT, null=True, blank=True,
                             related_name="entries", verbose_name=_("commission line"))
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["id"]
        indexes = [models.Index(fields=["account", "id"], name="ledger_entry_account")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount_fen:+d}"


class FeeRate(models.Model):
    """The technical service fee (技术服务费) of one source from ``effective_from`` on.

    Rows are only added, never changed: the history of a source's rate is its rows. A line keeps
    the rate in force when its order was paid."""

    source = models.CharField(_("source"), max_length=16)
    rate_bp = models.PositiveIntegerField(_("fee rate (bp)"), help_text=_("1000 bp is 10 percent of the commission."))
    effective_from = models.DateTimeField(_("in force from"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("set by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("technical service fee rate")
        verbose_name_plural = _("technical service fee rates")
        ordering = ["source", "-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rate_bp__lte=10000), name="fee_rate_at_most_100pct"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.rate_bp} bp"


class LineStatus(models.TextChoices):
    ESTIMATED = "estimated", _("Estimated")
    SETTLED = "settled", _("Settled")
    CLAWED_BACK = "clawed_back", _("Clawed back")
    CANCELLED = "cancelled", _("Cancelled")


class CommissionLine(models.Model):
    """One attributed sale and the commission it earns its creator.

    ``commission_fen == fee_fen + net_fen`` always. For native orders the amounts follow the
    order's refunds pro rata; for outside orders they follow the source's report."""

    source = models.CharField(_("source"), max_length=16)
    order_ref = models.CharField(_("order reference"), max_length=140,
                                 help_text=_("native:<order id> or <source>:<order id>/<line id>"))
    order_number = models.CharField(pgettext_lazy("purchase", "order number"), max_length=64)
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="commission_lines",
                                verbose_name=_("creator"), db_index=False)  # commission_line_creator covers it
    shop_id = models.BigIntegerField(_("shop"), null=True, blank=True)
    product = models.ForeignKey("affiliates.Product", models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name=_("product"), db_index=False)
    title = models.CharField(_("title"), max_length=255, blank=True)
    channel = models.CharField(_("channel"), max_length=16, blank=True)
    click_id = models.CharField(_("click id"), max_length=64, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    paid_fen = models.BigIntegerField(_("paid (fen)"))
    refunded_fen = models.BigIntegerField(_("refunded (fen)"), default=0)
    rate_bp = models.PositiveIntegerField(_("commission rate (bp)"))
    original_commission_fen = models.BigIntegerField(_("commission when paid (fen)"))
    commission_fen = models.BigIntegerField(_("commission (fen)"))
    fee_bp = models.PositiveIntegerField(_("fee rate (bp)"))
    fee_fen = models.BigIntegerField(_("technical service fee (fen)"))
    net_fen = models.BigIntegerField(_("net income (fen)"))
    settled_net_fen = models.BigIntegerField(_("net when settled (fen)"), default=0)
    clawed_back_fen = models.BigIntegerField(_("clawed back (fen)"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=LineStatus.choices, default=LineStatus.ESTIMATED)
    report_version = models.CharField(_("report version"), max_length=40, blank=True)
    settlement = models.ForeignKey(LedgerTransaction, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("settled in"))
    paid_at = models.DateTimeField(_("paid at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    settle_after = models.DateTimeField(_("settles after"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("commission line")
        verbose_name_plural = _("commission lines")
        ordering = ["-paid_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order_ref"], name="commission_line_once_per_order"),
            models.CheckConstraint(condition=Q(commission_fen=models.F("fee_fen") + models.F("net_fen")),
                                   name="commission_is_fee_plus_net"),
        ]
        indexes = [
            models.Index(fields=["creator", "-paid_at"], name="commission_line_creator"),
            models.Index(fields=["settle_after"], condition=Q(status="estimated"), name="commission_line_due"),
        ]

    def __str__(self) -> str:
        return f"{self.order_number} {self.get_status_display()}"

    @property
    def source_label(self) -> str:
        from affiliates.models import ProductSource

        return ProductSource(self.source).label if self.source in ProductSource.values else self.source

    @property
    def channel_label(self) -> str:
        from orders.models import Channel

        return Channel(self.channel).label if self.channel in Channel.values else self.channel


class ProceedsStatus(models.TextChoices):
    PENDING = "pending", _("Pending (order not completed)")
    AVAILABLE = "available", _("Available")


class ShopProceeds(models.Model):
    """What one native order brings its shop: paid − refunded − commission to the creator."""

    order_id = models.BigIntegerField(_("order id"), unique=True)
    order_number = models.CharField(pgettext_lazy("purchase", "order number"), max_length=32)
    shop_id = models.BigIntegerField(_("shop"), db_index=True)
    line = models.OneToOneField(CommissionLine, models.SET_NULL, null=True, blank=True, related_name="proceeds",
                                verbose_name=_("commission line"))
    paid_fen = models.BigIntegerField(_("paid (fen)"))
    refunded_fen = models.BigIntegerField(_("refunded (fen)"), default=0)
    commission_fen = models.BigIntegerField(_("commission to the creator (fen)"), default=0)
    proceeds_fen = models.BigIntegerField(_("proceeds (fen)"))
    status = models.CharField(_("status"), max_length=12, choices=ProceedsStatus.choices,
                              default=ProceedsStatus.PENDING)
    paid_at = models.DateTimeField(_("paid at"))
    available_at = models.DateTimeField(_("available from"), null=True, blank=True)

    class Meta:
        verbose_name = _("shop proceeds")
        verbose_name_plural = _("shop proceeds")
        ordering = ["-paid_at", "-id"]

    def __str__(self) -> str:
        return self.order_number


class LedgerCheckRun(models.Model):
    """One run of ``ledger_check``: operators see failed runs in admin."""

    ran_at = models.DateTimeField(_("ran at"), default=timezone.now, db_index=True)
    ok = models.BooleanField(_("all correct"))
    transactions = models.PositiveIntegerField(_("transactions checked"), default=0)
    accounts = models.PositiveIntegerField(_("accounts checked"), default=0)
    problems = models.TextField(_("problems"), blank=True)

    class Meta:
        verbose_name = _("ledger check")
        verbose_name_plural = _("ledger checks")
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} {'OK' if self.ok else 'FAILED'}"
