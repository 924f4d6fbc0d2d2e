"""Who a withdrawal belongs to: a creator (their user id) or a shop (its id), and the person whose
verified real name must hold the payout account and who hears about each step."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from commissions.models import OwnerKind


@dataclass(frozen=True)
class Owner:
    kind: str  # OwnerKind.CREATOR or OwnerKind.SHOP
    id: int
    user: Any  # the creator, or the shop's owner

    @classmethod
    def creator(cls, user) -> Owner:
        return cls(OwnerKind.CREATOR, user.pk, user)

    @classmethod
    def of_shop(cls, shop) -> Owner:
        return cls(OwnerKind.SHOP, shop.pk, shop.owner)

    @property
    def is_shop(self) -> bool:
        return self.kind == OwnerKind.SHOP

    def page_url(self) -> str:
        """Where the owner sees their withdrawals."""
        return reverse("payouts:merchant_funds" if self.is_shop else "payouts:withdrawals")
