from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenPlatformConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "openplatform"
    verbose_name = _("Open platform")

    def ready(self):
        from . import webhooks  # noqa: F401  (outbox receivers)
