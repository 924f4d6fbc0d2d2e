"""Reads of withdrawals: an owner's payout account, withdrawals and limits, and a shop's funds
(小店账款: sales, refunds, commission to creators, proceeds pending and available, paid out)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from commissions.ledger import Balances, creator_balances, shop_balances
from commissions.models import CommissionLine, ShopProceeds

from .models import RELEASED, PayoutAccount, Withdrawal
from .owners import Owner


def payout_account_of(owner: Owner) -> PayoutAccount | None:
    return PayoutAccount.objects.filter(owner_kind=owner.kind, owner_id=owner.id, active=True).first()


def withdrawals_of(owner: Owner) -> QuerySet[Withdrawal]:
    return (Withdrawal.objects.filter(owner_kind=owner.kind, owner_id=owner.id).select_related("account")
            .order_by("-created_at", "-pk"))


def day_start(now: datetime.datetime | None = None) -> datetime.datetime:
    """Midnight of today in the site's zone (Asia/Shanghai): the daily limit's day."""
    zone = timezone.get_default_timezone()
    today = timezone.localtime(now or timezone.now(), zone).date()
    return datetime.datetime.combine(today, datetime.time.min, tzinfo=zone)


def withdrawn_today_fen(owner: Owner) -> int:
    """What the owner asked to withdraw today, except what was rejected or failed (it never left)."""
    return int(Withdrawal.objects.filter(owner_kind=owner.kind, owner_id=owner.id, created_at__gte=day_start())
               .exclude(status__in=RELEASED).aggregate(s=Sum("amount_fen"))["s"] or 0)


def balances_of(owner: Owner) -> Balances:
    return shop_balances(owner.id) if owner.is_shop else creator_balances(owner.id)


@dataclass(frozen=True)
class Limits:
    minimum_fen: int
    daily_limit_fen: int
    used_today_fen: int
    available_fen: int

    @property
    def left_today_fen(self) -> int:
        return max(self.daily_limit_fen - self.used_today_fen, 0)

    @property
    def most_now_fen(self) -> int:
        return max(min(self.available_fen, self.left_today_fen), 0)


def withdrawal_limits(owner: Owner, balances: Balances | None = None) -> Limits:
    balances = balances or balances_of(owner)
    return Limits(minimum_fen=settings.WITHDRAWAL_MIN_FEN, daily_limit_fen=settings.WITHDRAWAL_DAILY_LIMIT_FEN,
                  used_today_fen=withdrawn_today_fen(owner), available_fen=balances.withdrawable_fen)


@dataclass(frozen=True)
class ShopFunds:
    orders: int
    sales_fen: int  # paid by shoppers
    refunds_fen: int  # paid back to them
    commission_fen: int  # to creators, after refunds (the platform's fee is taken from it)
    fee_fen: int  # the technical service fee inside that commission (not charged to the shop)
    proceeds_fen: int  # sales − refunds − commission
    balances: Balances

    @property
    def pending_fen(self) -> int:
        return self.balances.pending_fen

    @property
    def available_fen(self) -> int:
        return self.balances.withdrawable_fen

    @property
    def held_fen(self) -> int:
        return self.balances.held_fen

    @property
    def paid_out_fen(self) -> int:
        return self.balances.paid_out_fen

    @property
    def debt_fen(self) -> int:
        return self.balances.debt_fen

    def as_dict(self) -> dict:
        return {"orders": self.orders, "sales_fen": self.sales_fen, "refunds_fen": self.refunds_fen,
                "commission_fen": self.commission_fen, "fee_fen": self.fee_fen, "proceeds_fen": self.proceeds_fen,
                "pending_fen": self.pending_fen, "available_fen": self.available_fen, "held_fen": self.held_fen,
                "paid_out_fen": self.paid_out_fen, "debt_fen": self.debt_fen}


def shop_funds(*, shop_id: int) -> ShopFunds:
    totals = ShopProceeds.objects.filter(shop_id=shop_id).aggregate(
        n=Count("id"), paid=Sum("paid_fen"), refunded=Sum("refunded_fen"), commission=Sum("commission_fen"),
        proceeds=Sum("proceeds_fen"))
    fee = CommissionLine.objects.filter(proceeds__shop_id=shop_id).aggregate(s=Sum("fee_fen"))["s"]
    return ShopFunds(orders=totals["n"], sales_fen=int(totals["paid"] or 0), refunds_fen=int(totals["refunded"] or 0),
                     commission_fen=int(totals["commission"] or 0), fee_fen=int(fee or 0),
                     proceeds_fen=int(totals["proceeds"] or 0), balances=shop_balances(shop_id))


def shop_proceeds(*, shop_id: int) -> QuerySet[ShopProceeds]:
    """The shop's proceeds per order, newest paid first."""
    return ShopProceeds.objects.filter(shop_id=shop_id).order_by("-paid_at", "-id")

