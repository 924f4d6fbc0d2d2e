"""Extract translatable strings per app into ``<app>/locale`` (and the base layout into
``locale/``), so that each app owns its catalog. Templates live in ``templates/<app>/``;
they are linked into the app folder for the duration of the run.
"""
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

APPS = ["creators", "showcase", "engage", "stats", "affiliates", "orders", "commissions", "payouts", "reconcile",
        "notices", "openplatform"]
# app label -> folder; a nested app keeps its own catalog and its parent skips its folder
FOLDERS = {"engage": "showcase/engage", "stats": "showcase/stats", "payouts": "commissions/payouts",
           "reconcile": "commissions/reconcile"}
# app label -> its templates under templates/, when not templates/<label>/ (the parent skips them too)
TEMPLATE_FOLDERS = {"payouts": "commissions/payouts"}
LANGS = ["zh_Hans"]


class Command(BaseCommand):
    help = "Run makemessages for every app (with its templates) and for the project base."

    def add_arguments(self, parser):
        parser.add_argument("--app", action="append", choices=[*APPS, "base"],
                            help="only this app's catalog (repeatable); default: all and the base")

    def handle(self, *args, app=None, **options):
        chosen = app or [*APPS, "base"]
        root = Path(settings.BASE_DIR)
        # PYTHONSAFEPATH: run from an app folder, its selectors.py must not shadow the stdlib module.
        env = {**os.environ, "PYTHONPATH": str(root), "PYTHONSAFEPATH": "1"}
        django_admin = [sys.executable, "-m", "django", "makemessages", "--symlinks", "--no-obsolete",
                        "--ignore=.venv/*", "--ignore=node_modules/*"]
        for lang in LANGS:
            django_admin.append(f"--locale={lang}")
        for app in [a for a in APPS if a in chosen]:
            app_dir = root / FOLDERS.get(app, app)
            (app_dir / "locale").mkdir(exist_ok=True)
            nested = [f"--ignore={Path(f).name}/*" for f in FOLDERS.values() if Path(f).parent.name == app]
            link = app_dir / "_templates"
            target = root / "templates" / TEMPLATE_FOLDERS.get(app, app)
            if link.is_symlink():
                link.unlink()
            if target.exists():
                link.symlink_to(target)
            try:
                subprocess.run([*django_admin, *nested], cwd=app_dir, env=env, check=True)
            finally:
                if link.is_symlink():
                    link.unlink()
        ignores = [f"--ignore={FOLDERS.get(a, a)}/*" for a in APPS] + [f"--ignore=templates/{a}/*" for a in APPS] + ["--ignore=tests/*",
                                                        "--ignore=bench/*", "--ignore=staticfiles/*"]
        if "base" in chosen:
            subprocess.run([*django_admin, *ignores], cwd=root, env=env, check=True)
        self.stdout.write("Catalogs updated; translate the empty msgstr entries, then compilemessages.")
