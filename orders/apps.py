from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from affiliates.sync.signals import order_reports_stored

        from . import receivers  # noqa: F401  (the outbox receivers register on import)
        from .services.external import on_order_reports_stored

        order_reports_stored.connect(on_order_reports_stored, dispatch_uid="orders.external_orders")
