from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreatorsConfig(AppConfig):
    name = "creators"
    verbose_name = _("Creators")

    def ready(self):
        from notices.hooks import register_conversation_actions
        from notices.models import OfficialKind

        from .conversation import commerce_assistant_actions

        # Guide: 关注抖音号"电商小助手"，私信它，可以在私信界面底部看到申请入口.
        register_conversation_actions(OfficialKind.COMMERCE_ASSISTANT, commerce_assistant_actions)
