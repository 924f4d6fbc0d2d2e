from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """The local stand-in for the five outside sources' gateways (dev, test, CI)."""

    name = "affiliates.sandbox"
    label = "sandbox"
    verbose_name = "Source sandbox"
