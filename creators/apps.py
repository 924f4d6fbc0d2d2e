from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreatorsConfig(AppConfig):
    name = "creators"
    verbose_name = _("Creators")

    def ready(self):
        from notices.audiences import register_course_audience
        from notices.hooks import register_conversation_actions
        from notices.models import OfficialKind

        from .conversation import commerce_assistant_actions
        from .selectors import academy_audience

        # Guide: 关注抖音号"电商小助手"，私信它，可以在私信界面底部看到申请入口.
        register_conversation_actions(OfficialKind.COMMERCE_ASSISTANT, commerce_assistant_actions)
        # New academy courses are announced to creators and the commerce assistant's followers.
        register_course_audience(academy_audience)
