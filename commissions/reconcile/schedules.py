"""Default beat schedule of reconciliation (``manage.py setup_schedules``; editable in admin).

Daily, for yesterday in Beijing time (crontabs run in ``TIME_ZONE``, Asia/Shanghai by default):
the outside sources once their settlement data for the day has settled in the night, the
payment gateway once its statement of the day is out (real gateways publish it in the morning)."""

from django.utils.translation import gettext_noop as _

# Each name is a msgid: admin shows it translated (core/schedule_admin.py).
SCHEDULE = {
    _("reconciliation: yesterday's commission against the outside sources' reports"): {
        "task": "reconcile.sources_yesterday", "crontab": {"minute": "30", "hour": "4"},
    },
    _("reconciliation: yesterday's payments and refunds against the gateway's statement"): {
        "task": "reconcile.payments_yesterday", "crontab": {"minute": "30", "hour": "10"},
    },
}
