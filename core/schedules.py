"""Default beat schedule of the core room (``manage.py setup_schedules``; editable in admin)."""

from django.utils.translation import gettext_noop as _

# Each name is a msgid: admin shows it translated (core/schedule_admin.py).
SCHEDULE = {
    _("core: hand over outbox events again"): {"task": "core.outbox_sweep", "every": 60},
    _("core: prune delivered outbox events"): {"task": "core.outbox_prune", "every": 24 * 60 * 60},
}
