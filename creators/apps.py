from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreatorsConfig(AppConfig):
    name = "creators"
    verbose_name = _("Creators")

    def ready(self):
        from django.db.models.signals import post_migrate

        from notices.audiences import register_course_audience, register_rights_provider
        from notices.hooks import register_conversation_actions
        from notices.models import OfficialKind
        from notices.quizzes import quiz_passed

        from .conversation import commerce_assistant_actions
        from .governance_hooks import on_quiz_passed, rights_usable
        from .selectors import academy_audience

        # Guide: 关注抖音号"电商小助手"，私信它，可以在私信界面底部看到申请入口.
        register_conversation_actions(OfficialKind.COMMERCE_ASSISTANT, commerce_assistant_actions)
        # New academy courses are announced to creators and the commerce assistant's followers.
        register_course_audience(academy_audience)
        # Announcements for the holders of a right; points back for a passed academy quiz.
        register_rights_provider(rights_usable)
        quiz_passed.connect(on_quiz_passed, dispatch_uid="creators.quiz_passed")
        # Staff groups keep their permissions when later migrations add models.
        post_migrate.connect(_sync_groups, dispatch_uid="creators.staff_groups")


def _sync_groups(sender, **kwargs):
    """After each app's permissions are created (auth's receiver runs first), so the last
    call of a ``migrate`` leaves every group with all the permissions it is listed for."""
    from .staff_groups import sync_staff_groups

    sync_staff_groups()
