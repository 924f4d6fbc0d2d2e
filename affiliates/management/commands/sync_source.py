"""``manage.py sync_source <source|all> [--products] [--orders] [--pool N] [--since ISO]``

Runs sync jobs in this process with a progress bar (parts, rate, row counts); ``--queue``
hands them to the Celery workers instead and follows their progress from the job rows. With
no kind given it refreshes the products in use and pulls the order reports. A job that was
interrupted (Ctrl-C, a killed worker) is resumed: only its missing parts run.
"""
from __future__ import annotations

import time
from datetime import datetime
from datetime import time as dtime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from affiliates.models import ProductSource
from affiliates.sources.base import SourceError
from affiliates.sync.models import SyncJob, SyncKind
from affiliates.sync.selectors import sync_job_active, sync_sources
from affiliates.sync.services import sync_job_run, sync_job_start
from core.errors import DomainError


class _Stream:
    """tqdm writes carriage returns; Django's OutputWrapper would add a newline to each."""

    def __init__(self, out):
        self.out = out

    def write(self, text):
        self.out.write(text, ending="")

    def flush(self):
        self.out.flush()


def _since(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise CommandError(_("--since: give an ISO date or time, e.g. 2024-06-18 or 2024-06-18T09:00+08:00."))
        moment = datetime.combine(day, dtime.min)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = gettext_lazy("Sync products and order reports with an outside source (or all of them), with a progress bar.")

    def add_arguments(self, parser):
        parser.add_argument("source", help=gettext_lazy("taobao, jd, kaola, vip, suning, or all"))
        parser.add_argument("--products", action="store_true",
                            help=gettext_lazy("refresh price, commission, availability and gate result of the products in use"))
        parser.add_argument("--orders", action="store_true",
                            help=gettext_lazy("pull order reports, window by window, from the checkpoint (or --since)"))
        parser.add_argument("--pool", type=int, metavar="N",
                            help=gettext_lazy("import N pages of the source's hot-seller list into the pool"))
        parser.add_argument("--page-size", type=int, help=gettext_lazy("rows per page (at most the source's maximum)"))
        parser.add_argument("--since", help=gettext_lazy("order reports: start here instead of at the checkpoint (ISO)"))
        parser.add_argument("--queue", action="store_true",
                            help=gettext_lazy("run on the Celery workers and follow the progress here"))
        parser.add_argument("--no-wait", action="store_true", help=gettext_lazy("with --queue: do not follow the progress"))

    def handle(self, *args, source, products, orders, pool, page_size, since, queue, no_wait, **options):
        available = sync_sources()
        if source != "all" and source not in available:
            raise CommandError(_("Unknown source %(source)s: choose one of %(choices)s, or all.")
                               % {"source": source, "choices": ", ".join(available)})
        if pool is not None and pool < 1:
            raise CommandError(_("--pool needs at least 1 page."))
        kinds = [k for k, wanted in ((SyncKind.PRODUCTS, products), (SyncKind.POOL, pool is not None),
                                     (SyncKind.ORDERS, orders)) if wanted]
        kinds = kinds or [SyncKind.PRODUCTS, SyncKind.ORDERS]
        started = _since(since)
        self.verbosity = options.get("verbosity", 1)
        failures = 0
        for name in (available if source == "all" else [source]):
            for kind in kinds:
                try:
                    self._one(name, kind, since=started, pages=pool, page_size=page_size, queue=queue,
                              wait=not no_wait)
                except (SourceError, DomainError) as exc:
                    failures += 1
                    self.stderr.write(_("%(job)s failed: %(error)s — run the same command again to resume.")
                                      % {"job": self._title(name, kind), "error": exc})
        if failures:
            raise CommandError(_("%(n)d sync job(s) failed.") % {"n": failures})

    # --- one job -----------------------------------------------------------------------------------
    def _title(self, source: str, kind: str) -> str:
        return f"{ProductSource(source).label} · {SyncKind(kind).label}"

    def _one(self, source, kind, *, since, pages, page_size, queue, wait):
        before = sync_job_active(kind=kind, source=source)
        job = sync_job_start(kind=kind, source=source, since=since, pages=pages, page_size=page_size,
                             enqueue=queue)
        if before is not None:
            self.stdout.write(_("Resuming job #%(id)d (%(done)d of %(total)d parts already stored).")
                              % {"id": job.pk, "done": job.done, "total": job.total})
        if queue and not wait:
            self.stdout.write(_("Job #%(id)d queued: %(total)d parts.") % {"id": job.pk, "total": job.total})
            return
        unit = _("window") if kind == SyncKind.ORDERS else _("page")
        bar = tqdm(total=job.total, initial=job.done, unit=unit, desc=self._title(source, kind),
                   file=_Stream(self.stdout), disable=self.verbosity < 1, dynamic_ncols=True, mininterval=0.2)
        base_rows = _rows(job)  # rows already counted when this run began (a resumed job)
        clock = time.monotonic()

        def show(current: SyncJob, *args):
            bar.update(current.done - bar.n)
            rows = _rows(current) - base_rows
            bar.set_postfix_str(_("%(created)d new, %(updated)d changed, %(unchanged)d same, %(gone)d gone, "
                                  "%(rate).0f rows/s") % {
                "created": current.created_count, "updated": current.updated_count,
                "unchanged": current.unchanged_count, "gone": current.gone_count,
                "rate": rows / max(time.monotonic() - clock, 1e-6)})

        try:
            if queue:
                job = self._follow(job, show)
            elif job.is_active:
                job = sync_job_run(job_id=job.pk, on_part=show)
            show(job)
        except KeyboardInterrupt:
            bar.close()
            raise CommandError(_("Interrupted: job #%(id)d keeps its stored parts; run the command again to "
                                 "resume it.") % {"id": job.pk})
        finally:
            bar.close()
        seconds = max(time.monotonic() - clock, 1e-6)
        self.stdout.write(_(
            "%(title)s: job #%(id)d %(status)s — %(done)d/%(total)d parts, %(created)d created, %(updated)d "
            "updated, %(unchanged)d unchanged, %(gone)d marked unavailable, %(skipped)d skipped in %(seconds).1f s "
            "(%(rate).0f rows/s)."
        ) % {"title": self._title(source, kind), "id": job.pk, "status": job.get_status_display(),
             "done": job.done, "total": job.total, "created": job.created_count, "updated": job.updated_count,
             "unchanged": job.unchanged_count, "gone": job.gone_count, "skipped": job.skipped_count,
             "seconds": seconds, "rate": (_rows(job) - base_rows) / seconds})
        if job.status == "failed":
            raise SourceError(source, job.last_error or "failed")

    def _follow(self, job: SyncJob, show) -> SyncJob:
        while True:
            job.refresh_from_db()
            show(job)
            if not job.is_active:
                return job
            time.sleep(0.5)


def _rows(job: SyncJob) -> int:
    return job.created_count + job.updated_count + job.unchanged_count + job.gone_count + job.skipped_count
