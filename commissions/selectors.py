"""Reads of the commissions app. Until the ledger lands, income is the estimate kept by the
stats room from attributed paid orders."""
from __future__ import annotations

from showcase.stats.selectors import CommissionEstimate, commission_estimate_for

INCOME_WINDOWS = (7, 30)


def income_estimate(*, creator_id: int, days: int) -> CommissionEstimate:
    """Estimated commission of the creator's paid, not refunded orders of the last ``days``."""
    return commission_estimate_for(creator_id=creator_id, days=days)
