"""What the commerce assistant's conversation shows at its bottom: the application entry."""
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from notices.hooks import ConversationAction

from .models import CartApplication
from .selectors import latest_application


def commerce_assistant_actions(request) -> list[ConversationAction]:
    application = latest_application(request.user)
    url = reverse("creators:apply") + "?entry=" + CartApplication.EntryPoint.COMMERCE_ASSISTANT
    if application is None or application.status == CartApplication.Status.REJECTED:
        note = _("Needs %(fans)s fans, %(videos)s public original videos, a bound phone and a verified real name.") % {
            "fans": settings.ELIGIBILITY_MIN_FANS, "videos": settings.ELIGIBILITY_MIN_PUBLIC_ORIGINAL_VIDEOS}
        return [ConversationAction(label=_("Apply for product sharing"), url=url, note=note)]
    if application.status == CartApplication.Status.PENDING:
        return [ConversationAction(label=_("Application under review"), url=url, primary=False,
                                   note=_("We will message you the result here."))]
    return [ConversationAction(label=_("Product sharing is open: see my rights"), url=reverse("creators:me"),
                               primary=False)]
