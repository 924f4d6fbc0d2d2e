"""The daily ledger check and its alert to operators (failed runs are listed in admin, and every
member of the Finance group and every superuser hears from the commerce assistant)."""
from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from notices.models import OfficialKind
from notices.services import message_send

from .ledger import CheckResult, ledger_check

logger = logging.getLogger("commissions.ledger")


def ledger_check_and_alert() -> CheckResult:
    result = ledger_check(record=True)
    if result.ok:
        return result
    logger.error("ledger check failed: %s", "; ".join(result.problems[:10]))
    operators = get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__name="Finance"),
                                                is_active=True, is_staff=True).distinct()
    link = reverse("admin:commissions_ledgercheckrun_changelist")
    for operator in operators:
        message_send(recipient=operator, sender_handle_or_user=OfficialKind.COMMERCE_ASSISTANT, kind="ledger.check_failed",
                     title=gettext_noop("The ledger check found %(count)s problems"),
                     body=gettext_noop("%(first)s"), link=link,
                     params={"count": len(result.problems), "first": result.problems[0]})
    return result
