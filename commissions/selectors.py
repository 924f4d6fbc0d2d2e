"""Reads of the commissions app. Until the ledger lands, income is the estimate kept by the
stats room from attributed paid orders."""
from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import Forbidden
from creators.selectors import cart_rights_for
from showcase.stats import services as stats_services
from showcase.stats.buffer import get_buffer
from showcase.stats.selectors import CommissionEstimate, commission_estimate_for

INCOME_WINDOWS = (7, 30)


def income_access(user) -> list:
    """The creator's cart rights; commission income needs one granted (active or not: a
    suspended creator still sees, and is still owed, their commission)."""
    rights = cart_rights_for(user)
    if not any(r.status != "none" for r in rights):
        raise Forbidden(
            _("Commission income is for creators with product sharing rights: apply for product sharing first."),
            field="rights", code="no_right",
        )
    return rights


def income_numbers_fresh() -> None:
    """Without Redis no worker can see this process's stats buffer: flush it before reading."""
    if get_buffer().name == "local":
        stats_services.stats_flush()


def income_estimate(*, creator_id: int, days: int) -> CommissionEstimate:
    """Estimated commission of the creator's paid, not refunded orders of the last ``days``."""
    return commission_estimate_for(creator_id=creator_id, days=days)
