"""``manage.py reconcile --source jd --day 2026-12-01`` / ``reconcile --payments [--day …]``."""
from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from core.money import fen_to_yuan

from ...models import RunStatus
from ...services import RECONCILED_SOURCES, reconcile_payments, reconcile_source, yesterday


class Command(BaseCommand):
    help = ("Reconcile one day (Beijing time, default yesterday): an outside source's commission (--source) "
            "or the payments and refunds against the gateway's statement (--payments). Running a day again "
            "replaces its findings. Exits 1 when the run failed or found differences.")

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--source", choices=[*RECONCILED_SOURCES, "all"], help="an outside source, or all")
        which.add_argument("--payments", action="store_true", help="payments and refunds against the statement")
        parser.add_argument("--day", help="YYYY-MM-DD (default: yesterday)")

    def handle(self, *args, source=None, payments=False, day=None, **options):
        day = day or yesterday().isoformat()
        try:
            if payments:
                runs = [reconcile_payments(day=day)]
            else:
                runs = [reconcile_source(source=s, day=day)
                        for s in (RECONCILED_SOURCES if source == "all" else [source])]
        except DomainError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from None
        clean = True
        for run in runs:
            if run.status == RunStatus.FAILED:
                clean = False
                self.stderr.write(f"{run}: FAILED — {run.error}")
                continue
            self.stdout.write(f"{run}: {run.ours_count} here (¥{fen_to_yuan(run.ours_total_fen)}), "
                              f"{run.theirs_count} there (¥{fen_to_yuan(run.theirs_total_fen)}), "
                              f"{run.matched_count} matched, {run.missing_here_count} missing here, "
                              f"{run.missing_there_count} missing there, {run.mismatch_count} mismatched")
            for item in run.items.all():
                clean = False
                self.stdout.write(f"  {item.get_kind_display()} {item.order_ref}: "
                                  f"difference {item.difference_fen:+d} fen — {item.note}")
        if not clean:
            raise SystemExit(1)
