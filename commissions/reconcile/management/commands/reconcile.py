"""``manage.py reconcile --source jd [--day 2026-12-01]`` / ``reconcile --payments [--day …]``

One day (Beijing time, yesterday by default) of an outside source's commission (``all``: each
of them) or of the payments and refunds against the gateway's statement. Running a day again
replaces its findings. Exits 1 when a run failed or found differences. ``--in-process``: the
sandbox answers in this process (no server needed).
"""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.money import fen_to_yuan

from ...inprocess import sandbox_in_process
from ...models import RunStatus
from ...services import RECONCILED_SOURCES, reconcile_payments, reconcile_source, yesterday


class Command(BaseCommand):
    help = gettext_lazy("Reconcile one day (Beijing time, yesterday by default): an outside source's commission "
                        "against its report, or the payments and refunds against the gateway's statement. Exits 1 "
                        "when a run failed or found differences.")

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--source", choices=[*RECONCILED_SOURCES, "all"],
                           help=gettext_lazy("an outside source, or all of them"))
        which.add_argument("--payments", action="store_true",
                           help=gettext_lazy("payments and refunds against the gateway's statement"))
        parser.add_argument("--day", help=gettext_lazy("YYYY-MM-DD (default: yesterday)"))
        parser.add_argument("--in-process", action="store_true",
                            help=gettext_lazy("the sandbox answers in this process (no server needed)"))

    def handle(self, *args, source=None, payments=False, day=None, in_process=False, **options):
        day = day or yesterday().isoformat()
        try:
            if in_process:
                with sandbox_in_process():
                    runs = self._runs(source, payments, day)
            else:
                runs = self._runs(source, payments, day)
        except DomainError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from None
        clean = True
        for run in runs:
            if run.status == RunStatus.FAILED:
                clean = False
                self.stderr.write(_("%(run)s failed: %(error)s") % {"run": run, "error": run.error})
                continue
            self.stdout.write(_(
                "%(run)s: %(ours)d here (¥%(ours_total)s), %(theirs)d there (¥%(theirs_total)s), %(matched)d matched, "
                "%(missing_here)d missing here, %(missing_there)d missing there, %(mismatched)d mismatched") % {
                "run": run, "ours": run.ours_count, "ours_total": fen_to_yuan(run.ours_total_fen),
                "theirs": run.theirs_count, "theirs_total": fen_to_yuan(run.theirs_total_fen),
                "matched": run.matched_count, "missing_here": run.missing_here_count,
                "missing_there": run.missing_there_count, "mismatched": run.mismatch_count})
            for item in run.items.all():
                clean = False
                self.stdout.write(_("  %(kind)s %(ref)s: difference %(difference)+d fen — %(note)s") % {
                    "kind": item.get_kind_display(), "ref": item.order_ref, "difference": item.difference_fen,
                    "note": item.note})
        if not clean:
            raise SystemExit(1)

    @staticmethod
    def _runs(source, payments, day):
        if payments:
            return [reconcile_payments(day=day)]
        return [reconcile_source(source=s, day=day) for s in (RECONCILED_SOURCES if source == "all" else [source])]
