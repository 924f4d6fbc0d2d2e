from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionsConfig(AppConfig):
    name = "commissions"
    verbose_name = _("Commissions")

    def ready(self):
        from affiliates.sync.signals import order_reports_stored

        from . import receivers

        order_reports_stored.connect(receivers.on_order_reports_stored, dispatch_uid="commissions.lines")
