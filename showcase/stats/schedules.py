"""Default beat schedule of the stats app; `manage.py setup_schedules` installs it."""

SCHEDULE = {
    "stats: flush buffered events into the dashboard": {"task": "stats.flush", "every": 60},
    "stats: rebuild the leaderboard": {"task": "stats.leaderboard_refresh", "every": 300},
    "stats: forget old flush batch ids": {"task": "stats.flush_batches_prune", "every": 6 * 3600},
}
