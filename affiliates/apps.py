from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AffiliatesConfig(AppConfig):
    name = "affiliates"
    verbose_name = _("Product sources")

    def ready(self):
        from django.db.models.signals import post_save

        from .models import Sku
        from .stock_flags import _sku_saved

        post_save.connect(_sku_saved, sender=Sku, dispatch_uid="affiliates.sku_stock_flag")
