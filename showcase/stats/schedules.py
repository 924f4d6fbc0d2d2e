"""Default beat schedule of the stats app; `manage.py setup_schedules` installs it."""

from django.utils.translation import gettext_noop as _

# Each name is a msgid: admin shows it translated (core/schedule_admin.py).
SCHEDULE = {
    _("stats: flush buffered events into the dashboard"): {"task": "stats.flush", "every": 60},
    _("stats: rebuild the leaderboard"): {"task": "stats.leaderboard_refresh", "every": 300},
    _("stats: forget old flush batch ids"): {"task": "stats.flush_batches_prune", "every": 6 * 3600},
}
