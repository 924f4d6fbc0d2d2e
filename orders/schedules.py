"""Default beat schedule of the orders room (``manage.py setup_schedules``; editable in admin)."""

from django.utils.translation import gettext_noop as _

# Each name is a msgid: admin shows it translated (core/schedule_admin.py).
SCHEDULE = {
    _("orders: close unpaid orders"): {"task": "orders.close_unpaid", "every": 60},
    _("orders: auto-confirm receipt"): {"task": "orders.auto_confirm", "every": 60 * 60},
    _("orders: complete orders after the after-sales period"): {"task": "orders.complete_due", "every": 60 * 60},
    _("orders: send refunds whose gateway call is overdue again"): {"task": "orders.refunds_retry_stale", "every": 10 * 60},
}
