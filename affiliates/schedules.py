"""Default beat schedule of the affiliates room (installed by ``manage.py setup_schedules``,
editable afterwards in admin under Periodic tasks)."""

from django.utils.translation import gettext_noop as _

# Each name is a msgid: admin shows it translated (core/schedule_admin.py).
SCHEDULE = {
    _("affiliates: refresh products in use"): {
        "task": "affiliates.sync_start", "every": 30 * 60, "kwargs": '{"kind": "products", "source": "all"}',
    },
    _("affiliates: pull order reports"): {
        "task": "affiliates.sync_start", "every": 10 * 60, "kwargs": '{"kind": "orders", "source": "all"}',
    },
    _("affiliates: import the pool's hot sellers"): {
        "task": "affiliates.sync_start", "every": 6 * 60 * 60, "kwargs": '{"kind": "pool", "source": "all"}',
    },
    _("affiliates: refresh the category trees"): {
        "task": "affiliates.categories_sync", "every": 24 * 60 * 60, "kwargs": '{"source": "all"}',
    },
    _("affiliates: resume stale sync jobs"): {"task": "affiliates.sync_resume_stale", "every": 60},
    _("affiliates: redeliver order reports"): {"task": "affiliates.order_reports_redeliver", "every": 5 * 60},
}
