"""Default beat schedule of withdrawals (``manage.py setup_schedules``; editable in admin)."""

from django.utils.translation import gettext_noop as _

# Each name is a msgid: admin shows it translated (core/schedule_admin.py).
SCHEDULE = {
    _("payouts: send again approved payouts that never reached the gateway"): {
        "task": "payouts.resend_due", "every": 5 * 60},
}
