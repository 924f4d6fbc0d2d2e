from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxConfig(AppConfig):
    """The local stand-in for the five outside sources' gateways (dev, test, CI)."""

    name = "affiliates.sandbox"
    label = "sandbox"
    verbose_name = _("Source sandbox")
