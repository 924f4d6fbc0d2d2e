"""A finding's facts (``ReconciliationItem.details``) in the reader's language."""
from __future__ import annotations

from django.utils.translation import gettext as _

from affiliates.sync.models import OrderReportStatus
from commissions.models import LineStatus
from core.admin_display import yuan_text


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value)


def _fact(code: str, args: list) -> str:
    if code in ("commission", "settled", "amount"):
        template = {"commission": _("commission %(ours)s here, %(theirs)s there"),
                    "settled": _("settled %(ours)s here, %(theirs)s there"),
                    "amount": _("amount %(ours)s here, %(theirs)s there")}[code]
        return template % {"ours": yuan_text(args[0]), "theirs": yuan_text(args[1])}
    if code == "status":
        return _("status here: %(ours)s, there: %(theirs)s") % {
            "ours": _label(LineStatus, args[0]), "theirs": _label(OrderReportStatus, args[1])}
    if code == "paid_other_day":
        return _("paid here on %(day)s") % {"day": args[0]}
    if code == "no_line":
        if args and args[0]:
            return _("no commission line here (the order carries click id %(click)s)") % {"click": args[0]}
        return _("no commission line here (the order carries no click id of ours)")
    if code == "not_reported":
        return _("not in the source's report of %(day)s") % {"day": args[0]}
    if code == "not_in_statement":
        return _("not in the gateway's statement")
    if code == "not_in_our_books":
        return _("the gateway took or paid it (its number %(number)s); we have no such paid payment or "
                 "refund") % {"number": args[0] if args else "—"}
    if code == "gateway_number":
        return _("gateway number %(ours)s here, %(theirs)s there") % {"ours": args[0], "theirs": args[1]}
    return code


def note_text(details) -> str:
    parts = []
    for fact in details or ():
        if isinstance(fact, (list, tuple)) and fact:
            parts.append(_fact(str(fact[0]), list(fact[1:])))
    return "; ".join(parts)
