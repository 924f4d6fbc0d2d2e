"""Copy the default periodic tasks into django-celery-beat's tables.

Apps declare their defaults in ``<app>/schedules.py`` as ``SCHEDULE = {name: {"task": ...,
"every": seconds}}`` (or ``"crontab": {...}``). Rows that exist are left alone so that an
operator's edits in admin survive; ``--reset`` puts the defaults back.
"""
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask


def default_schedule() -> dict:
    schedule: dict = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.schedules"
        if find_spec(config.name) is not None and find_spec(name) is not None:
            schedule.update(import_module(name).SCHEDULE)
    return schedule


class Command(BaseCommand):
    help = "Install the default Celery beat schedule (editable afterwards in admin)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="overwrite edited rows with the defaults")

    def handle(self, *args, reset=False, **options):
        created = 0
        for name, spec in default_schedule().items():
            if "every" in spec:
                interval, _ = IntervalSchedule.objects.get_or_create(
                    every=spec["every"], period=IntervalSchedule.SECONDS
                )
                timing = {"interval": interval, "crontab": None}
            else:
                crontab, _ = CrontabSchedule.objects.get_or_create(timezone=settings.TIME_ZONE, **spec["crontab"])
                timing = {"crontab": crontab, "interval": None}
            defaults = {"task": spec["task"], **timing, "kwargs": spec.get("kwargs", "{}")}
            if reset:
                PeriodicTask.objects.update_or_create(name=name, defaults=defaults)
            else:
                _, was_created = PeriodicTask.objects.get_or_create(name=name, defaults=defaults)
                created += was_created
        self.stdout.write(f"Periodic tasks: {created} added, {PeriodicTask.objects.count()} in total.")
