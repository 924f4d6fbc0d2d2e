from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    name = "showcase"
    verbose_name = _("Showcase")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the cache-version bumps to lower rooms' events)
