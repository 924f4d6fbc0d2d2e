"""Run the periodic tasks (django-celery-beat rows) in this process, for ``make run``.

``make run`` has no Redis, so there is no broker for a Celery worker and beat. This
scheduler reads the same ``PeriodicTask`` rows that beat reads (``setup_schedules``
installs them; operators edit them in admin), asks each row's own schedule whether it is
due (django-celery-beat's ``ModelEntry``: interval, crontab, start time, expiry, one-off),
runs the due ones here with ``Task.apply`` and records ``last_run_at``/``total_run_count``
as beat does. Request-time tasks stay eager Celery in the web process.
"""
from __future__ import annotations

import json
import logging
import signal
import threading

from celery import current_app
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import ModelEntry

log = logging.getLogger("core.run_schedule")
_loaded: list[bool] = []


def run_due_tasks() -> list[str]:
    """Run every enabled periodic task that is due now; return the names of those run."""
    if not _loaded:
        current_app.loader.import_default_modules()  # autodiscover every app's tasks.py
        _loaded.append(True)
    ran = []
    for row in PeriodicTask.objects.filter(enabled=True).select_related(
        "interval", "crontab", "solar", "clocked"
    ).order_by("pk"):
        entry = ModelEntry(row, app=current_app)
        due, _next = entry.is_due()
        if not due:
            continue
        task = current_app.tasks.get(row.task)
        started = entry._default_now()
        if task is None:
            log.error("periodic task %r: no task named %r", row.name, row.task)
        else:
            try:
                task.apply(args=json.loads(row.args or "[]"), kwargs=json.loads(row.kwargs or "{}"),
                           throw=True)
            except Exception:  # one failing task must not stop the schedule
                log.exception("periodic task %r (%s) failed", row.name, row.task)
        PeriodicTask.objects.filter(pk=row.pk).update(
            last_run_at=started, total_run_count=row.total_run_count + 1)
        ran.append(row.name)
    return ran


class Command(BaseCommand):
    help = "Run due periodic tasks in this process (the scheduler `make run` starts beside runserver)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is due now and exit")
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between checks")
        parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before the first check")

    def handle(self, *args, once=False, tick=5.0, delay=0.0, **options):
        if once:
            for name in run_due_tasks():
                self.stdout.write(f"ran: {name}")
            return
        stopping = threading.Event()  # set by SIGTERM (make run's trap): stop between tasks, at once when idle
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        self.stdout.write(f"Scheduler: running due periodic tasks every {tick:g} s in this process.")
        try:
            stopping.wait(delay)
            while not stopping.is_set():
                close_old_connections()
                for name in run_due_tasks():
                    log.info("ran periodic task %r", name)
                stopping.wait(tick)
        except KeyboardInterrupt:
            pass
