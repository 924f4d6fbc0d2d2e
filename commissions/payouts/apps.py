from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayoutsConfig(AppConfig):
    """Withdrawals (提现) of creators and shops and the payout gateway (代付) that pays them."""

    name = "commissions.payouts"
    label = "payouts"
    verbose_name = _("Withdrawals and payouts")
    default_auto_field = "django.db.models.BigAutoField"
