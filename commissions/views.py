"""Commission income (佣金收入): estimated commission per day and channel."""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.errors import DomainError, InvalidInput

from .selectors import INCOME_WINDOWS, income_access, income_estimate, income_numbers_fresh


@login_required
def income(request):
    try:
        income_access(request.user)
        raw = request.GET.get("days") or "7"
        days = int(raw) if raw.isdigit() else None
        if days not in INCOME_WINDOWS:
            raise InvalidInput(_("days must be 7 or 30."), field="days")
    except DomainError as exc:
        return render(request, "commissions/error.html", {"error": exc}, status=exc.status_code)
    income_numbers_fresh()
    estimate = income_estimate(creator_id=request.user.pk, days=days)
    other = income_estimate(creator_id=request.user.pk, days=30 if days == 7 else 7)
    return render(request, "commissions/income.html", {
        "estimate": estimate, "days": days, "windows": INCOME_WINDOWS,
        "totals": {days: estimate.total_fen, other.days: other.total_fen},
        "fee_bp": settings.ALLIANCE_TECH_FEE_BP, "holding_days": settings.COMMISSION_HOLDING_DAYS,
    })
