from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform events")  # the outbox is what core shows in admin

    def ready(self):
        from .outbox import load_receiver_modules

        load_receiver_modules()
