"""Reconciliation runs and what they found.

One run per (kind, source, day): running a day again replaces its items, so the rows always
say what the latest comparison found. ``source`` is an outside source (jd, kaola, vip, suning)
for a ``source`` run and the payment gateway's name (sandbox) for a ``payments`` run.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunKind(models.TextChoices):
    SOURCE = "source", _("Outside source commission")
    PAYMENTS = "payments", _("Payments and refunds")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ItemKind(models.TextChoices):
    MISSING_HERE = "missing_here", _("Missing here (only in their report)")
    MISSING_THERE = "missing_there", _("Missing there (only in our books)")
    MISMATCH = "mismatch", _("Amounts or status differ")


class ReconciliationRun(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=RunKind.choices)
    source = models.CharField(_("source"), max_length=16,
                              help_text=_("The outside source, or the payment gateway for payments."))
    day = models.DateField(_("day"), help_text=_("A day in Beijing time, as the sources and gateways cut theirs."))
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("started by"))
    ours_count = models.PositiveIntegerField(_("rows here"), default=0)
    theirs_count = models.PositiveIntegerField(_("rows there"), default=0)
    matched_count = models.PositiveIntegerField(_("matched"), default=0)
    missing_here_count = models.PositiveIntegerField(_("missing here"), default=0)
    missing_there_count = models.PositiveIntegerField(_("missing there"), default=0)
    mismatch_count = models.PositiveIntegerField(_("mismatched"), default=0)
    ours_total_fen = models.BigIntegerField(_("total here (fen)"), default=0)
    theirs_total_fen = models.BigIntegerField(_("total there (fen)"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("reconciliation run")
        verbose_name_plural = _("reconciliation runs")
        ordering = ["-day", "kind", "source"]
        constraints = [models.UniqueConstraint(fields=["kind", "source", "day"], name="reconciliation_run_once_a_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source} {self.day:%Y-%m-%d}"

    @property
    def item_count(self) -> int:
        return self.missing_here_count + self.missing_there_count + self.mismatch_count


class ReconciliationItem(models.Model):
    """One difference: an order (or trade, or refund) only one side has, or whose amounts differ.
    ``difference_fen`` = theirs − ours (a side without the row counts as 0)."""

    run = models.ForeignKey(ReconciliationRun, models.CASCADE, related_name="items", verbose_name=_("run"))
    order_ref = models.CharField(_("order reference"), max_length=140)
    kind = models.CharField(_("kind"), max_length=14, choices=ItemKind.choices)
    ours_fen = models.BigIntegerField(_("ours (fen)"), null=True, blank=True)
    theirs_fen = models.BigIntegerField(_("theirs (fen)"), null=True, blank=True)
    difference_fen = models.BigIntegerField(_("difference (fen)"))
    # What differs, as data ("commission", ours, theirs)…; ``note`` says it in the reader's language.
    details = models.JSONField(_("details"), default=list, blank=True)

    class Meta:
        verbose_name = _("reconciliation item")
        verbose_name_plural = _("reconciliation items")
        ordering = ["run", "kind", "order_ref"]
        indexes = [models.Index(fields=["run", "kind"], name="reconciliation_item_kind")]

    def __str__(self) -> str:
        return f"{self.order_ref} {self.get_kind_display()}"

    @property
    def note(self) -> str:
        from .notes import note_text

        return note_text(self.details)
