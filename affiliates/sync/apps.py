from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    """Keeping the product pool and the order reports in step with the outside sources."""

    name = "affiliates.sync"
    label = "sync"
    verbose_name = _("Source sync")
