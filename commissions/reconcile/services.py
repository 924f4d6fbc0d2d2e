"""Reconciliation runs: fetch the other side's view of a day, compare it with ours, store what
differs. One run per (kind, source, day): running a day again replaces its items (idempotent);
a run whose fetch fails says why and holds no items.

- ``reconcile_source(source="jd", day=…)``: our commission lines of an outside source (JD,
  Kaola, Vipshop, Suning) paid that day against the source's day report (``reports.py``).
- ``reconcile_payments(day=…)``: our payments and refunds of the day against the payment
  gateway's signed statement (对账单).
"""
from __future__ import annotations

import datetime
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from affiliates.sources.base import SourceError
from affiliates.sources.values import CN_TZ
from commissions.services import OUTSIDE_SOURCES
from core.errors import InvalidInput
from notices.models import OfficialKind
from notices.services import message_send
from orders import conf as orders_conf
from orders.payments import GATEWAYS, BadStatement, GatewayUnavailable
from orders.selectors import payments_for_day, refunds_for_day

from . import reports
from .compare import Comparison, compare_payments, compare_source
from .models import ItemKind, ReconciliationItem, ReconciliationRun, RunKind, RunStatus
from .selectors import outside_lines_by_ref, outside_lines_for_day

logger = logging.getLogger("commissions.reconcile")

RECONCILED_SOURCES = tuple(OUTSIDE_SOURCES)  # Taobao Union pays its creators itself: no lines to reconcile


def yesterday() -> datetime.date:
    """Yesterday in Beijing time (the day the periodic runs reconcile)."""
    return timezone.now().astimezone(CN_TZ).date() - datetime.timedelta(days=1)


def _check_day(day) -> datetime.date:
    if isinstance(day, str):
        try:
            day = datetime.date.fromisoformat(day)
        except ValueError:
            raise InvalidInput(_("The day must be a date as YYYY-MM-DD."), field="day", code="invalid") from None
    if day > timezone.now().astimezone(CN_TZ).date():
        raise InvalidInput(_("A day that has not begun cannot be reconciled."), field="day", code="future")
    return day


def _begin(*, kind: str, source: str, day: datetime.date, started_by=None) -> ReconciliationRun:
    with transaction.atomic():
        run, _created = ReconciliationRun.objects.get_or_create(
            kind=kind, source=source, day=day, defaults={"started_at": timezone.now()})
        run = ReconciliationRun.objects.select_for_update().get(pk=run.pk)
        run.status, run.started_at, run.finished_at, run.error = RunStatus.RUNNING, timezone.now(), None, ""
        run.started_by = started_by if getattr(started_by, "pk", None) else None
        run.save(update_fields=["status", "started_at", "finished_at", "error", "started_by"])
    return run


_COUNTS = {"ours_count": 0, "theirs_count": 0, "matched_count": 0, "missing_here_count": 0, "missing_there_count": 0,
           "mismatch_count": 0, "ours_total_fen": 0, "theirs_total_fen": 0}


@transaction.atomic
def _finish(run: ReconciliationRun, *, comparison: Comparison | None = None, error: str = "") -> ReconciliationRun:
    """Replace the run's items and counts with what this comparison found (or, failed, none)."""
    run = ReconciliationRun.objects.select_for_update().get(pk=run.pk)
    run.items.all().delete()
    counts = dict(_COUNTS)
    if comparison is not None:
        ReconciliationItem.objects.bulk_create([
            ReconciliationItem(run=run, order_ref=f.order_ref[:140], kind=f.kind, ours_fen=f.ours_fen,
                               theirs_fen=f.theirs_fen, difference_fen=f.difference_fen,
                               details=[list(fact) for fact in f.details])
            for f in comparison.findings])
        counts.update(ours_count=comparison.ours_count, theirs_count=comparison.theirs_count,
                      matched_count=comparison.matched, missing_here_count=comparison.count(ItemKind.MISSING_HERE),
                      missing_there_count=comparison.count(ItemKind.MISSING_THERE),
                      mismatch_count=comparison.count(ItemKind.MISMATCH),
                      ours_total_fen=comparison.ours_total_fen, theirs_total_fen=comparison.theirs_total_fen)
    for name, value in counts.items():
        setattr(run, name, value)
    run.status = RunStatus.FAILED if comparison is None else RunStatus.DONE
    run.error = error[:2000]
    run.finished_at = timezone.now()
    run.save()
    if comparison is None:
        logger.warning("reconciliation %s failed: %s", run, error)
    elif run.item_count:
        logger.warning("reconciliation %s: %d missing here, %d missing there, %d mismatched", run,
                       run.missing_here_count, run.missing_there_count, run.mismatch_count)
    else:
        logger.info("reconciliation %s: %d rows, all matched", run, run.matched_count)
    return run


def _run(*, kind: str, source: str, day: datetime.date, started_by, compare) -> ReconciliationRun:
    run = _begin(kind=kind, source=source, day=day, started_by=started_by)
    try:
        comparison = compare()
    except (SourceError, GatewayUnavailable, BadStatement) as exc:
        return _finish(run, error=f"{type(exc).__name__}: {exc}")
    except Exception as exc:
        _finish(run, error=f"{type(exc).__name__}: {exc}")
        raise
    return _finish(run, comparison=comparison)


def reconcile_source(*, source: str, day, started_by=None) -> ReconciliationRun:
    """Our commission lines of ``source`` paid on ``day`` against its day report."""
    if source not in RECONCILED_SOURCES:
        raise InvalidInput(_("source must be one of: %(values)s.") % {"values": ", ".join(RECONCILED_SOURCES)},
                           field="source", code="invalid")
    day = _check_day(day)

    def compare() -> Comparison:
        theirs = reports.source_day_report(source=source, day=day)
        ours = outside_lines_for_day(source=source, day=day)
        elsewhere = outside_lines_by_ref(refs=[ref for ref, row in theirs.items()
                                               if row.day == day and ref not in ours])
        return compare_source(day=day, ours=ours, ours_elsewhere=elsewhere, theirs=theirs)

    return _run(kind=RunKind.SOURCE, source=source, day=day, started_by=started_by, compare=compare)


def reconcile_payments(*, day, gateway: str | None = None, started_by=None) -> ReconciliationRun:
    """Our payments and refunds of ``day`` against the payment gateway's statement (对账单)."""
    gateway = gateway or orders_conf.get("PAYMENT_GATEWAY")
    if gateway not in GATEWAYS:
        raise InvalidInput(_("gateway must be one of: %(values)s.") % {"values": ", ".join(GATEWAYS)},
                           field="gateway", code="invalid")
    day = _check_day(day)

    def compare() -> Comparison:
        statement = reports.gateway_statement(gateway=gateway, day=day)
        return compare_payments(payments=payments_for_day(day, gateway=gateway),
                                refunds=refunds_for_day(day, gateway=gateway), statement=statement.rows)

    return _run(kind=RunKind.PAYMENTS, source=gateway, day=day, started_by=started_by, compare=compare)


def reconciliation_start(*, kind: str, source: str, day, started_by=None) -> ReconciliationRun:
    """One run of either kind (``source`` is the gateway for payments)."""
    if kind == RunKind.PAYMENTS:
        return reconcile_payments(day=day, gateway=source or None, started_by=started_by)
    if kind == RunKind.SOURCE:
        return reconcile_source(source=source, day=day, started_by=started_by)
    raise InvalidInput(_("kind must be one of: %(values)s.") % {"values": ", ".join(RunKind.values)},
                       field="kind", code="invalid")


def reconciliation_alert(run: ReconciliationRun) -> int:
    """Tell the Finance group and superusers (from the commerce assistant) about a run that failed
    or found differences; once per run and finish. Returns how many were told."""
    if run.status == RunStatus.DONE and not run.item_count:
        return 0
    operators = get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__name="Finance"),
                                                is_active=True, is_staff=True).distinct()
    link = reverse("admin:reconcile_reconciliationrun_change", args=[run.pk])
    if run.status == RunStatus.FAILED:
        title = gettext_noop("Reconciliation of %(source)s for %(day)s failed")
        body = gettext_noop("%(error)s")
    else:
        title = gettext_noop("Reconciliation of %(source)s for %(day)s found %(count)s differences")
        body = gettext_noop("%(missing_here)s missing here, %(missing_there)s missing there, "
                            "%(mismatched)s with different amounts.")
    params = {"source": run.source, "day": run.day.isoformat(), "count": run.item_count, "error": run.error[:300],
              "missing_here": run.missing_here_count, "missing_there": run.missing_there_count,
              "mismatched": run.mismatch_count}
    told = 0
    for operator in operators:
        message_send(recipient=operator, sender_handle_or_user=OfficialKind.COMMERCE_ASSISTANT,
                     kind="reconciliation.found", title=title, body=body, link=link, params=params,
                     dedupe_key=f"reconciliation:{run.pk}:{run.finished_at:%Y%m%d%H%M%S%f}")
        told += 1
    return told
