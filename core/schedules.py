"""Default beat schedule of the core room (``manage.py setup_schedules``; editable in admin)."""

SCHEDULE = {
    "core: hand over outbox events again": {"task": "core.outbox_sweep", "every": 60},
    "core: prune delivered outbox events": {"task": "core.outbox_prune", "every": 24 * 60 * 60},
}
