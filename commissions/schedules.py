"""Default beat schedule of the commissions room (``manage.py setup_schedules``; editable in admin)."""

from django.utils.translation import gettext_noop as _

# Each name is a msgid: admin shows it translated (core/schedule_admin.py).
SCHEDULE = {
    _("commissions: settle commission past its holding period"): {"task": "commissions.settle_due", "every": 60 * 60},
    _("commissions: check the ledger"): {"task": "commissions.ledger_check", "every": 24 * 60 * 60},
}
