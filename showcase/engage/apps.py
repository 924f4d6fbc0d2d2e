from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngageConfig(AppConfig):
    """The feed, video comments with the pinned product entry, private messages and the
    creator back office (E后台) that manages them."""

    name = "showcase.engage"
    label = "engage"
    verbose_name = _("Feed, comments and messages")

    def ready(self):
        from notices.hooks import register_inbox_source

        from .inbox import private_messages_section
        from .selectors import private_unread_count

        register_inbox_source(section=private_messages_section, unread=private_unread_count)
