"""Default beat schedule of the affiliates room (installed by ``manage.py setup_schedules``,
editable afterwards in admin under Periodic tasks)."""

SCHEDULE = {
    "affiliates: refresh products in use": {
        "task": "affiliates.sync_start", "every": 30 * 60, "kwargs": '{"kind": "products", "source": "all"}',
    },
    "affiliates: pull order reports": {
        "task": "affiliates.sync_start", "every": 10 * 60, "kwargs": '{"kind": "orders", "source": "all"}',
    },
    "affiliates: import the pool's hot sellers": {
        "task": "affiliates.sync_start", "every": 6 * 60 * 60, "kwargs": '{"kind": "pool", "source": "all"}',
    },
    "affiliates: resume stale sync jobs": {"task": "affiliates.sync_resume_stale", "every": 60},
    "affiliates: redeliver order reports": {"task": "affiliates.order_reports_redeliver", "every": 5 * 60},
}
