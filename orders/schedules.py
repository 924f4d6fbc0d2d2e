"""Default beat schedule of the orders room (``manage.py setup_schedules``; editable in admin)."""

SCHEDULE = {
    "orders: close unpaid orders": {"task": "orders.close_unpaid", "every": 60},
    "orders: auto-confirm receipt": {"task": "orders.auto_confirm", "every": 60 * 60},
    "orders: complete orders after the after-sales period": {"task": "orders.complete_due", "every": 60 * 60},
    "orders: send refunds whose gateway call is overdue again": {"task": "orders.refunds_retry_stale", "every": 10 * 60},
}
