"""Create (or top up) the demo world. Idempotent: running it twice changes nothing.

Each app that has demo data keeps it in ``<app>/demo.py`` with a ``seed(out)`` function;
they run in INSTALLED_APPS order, which is the dependency order (lower rooms first), so
core never imports an app above it.
"""
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create an idempotent demo world in Chinese (creators, products, videos, orders)."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            module = import_module(module_name)
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
