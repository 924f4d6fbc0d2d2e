"""Sync bookkeeping: jobs and their stored parts, per-source checkpoints, and order reports.

A ``SyncJob`` is split into numbered parts planned when it starts (a page of product ids, a
page of the source's pool list, or one order-report time window). A part is stored in one
transaction together with its ``SyncJobPart`` row, so the set of part rows IS the job's
position: a restarted or redelivered part whose row exists does nothing, and resuming a job
runs exactly the parts that have no row.
"""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from affiliates.models import ProductSource


class SyncKind(models.TextChoices):
    PRODUCTS = "products", _("Product refresh")
    POOL = "pool", _("Pool import")
    ORDERS = "orders", _("Order reports")


class SyncStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (SyncStatus.QUEUED, SyncStatus.RUNNING)

#: which status may follow which (``services.jobs`` checks every move against it)
SYNC_TRANSITIONS: dict[str, frozenset[str]] = {
    SyncStatus.QUEUED: frozenset({SyncStatus.RUNNING, SyncStatus.DONE, SyncStatus.FAILED, SyncStatus.CANCELLED}),
    SyncStatus.RUNNING: frozenset({SyncStatus.DONE, SyncStatus.FAILED, SyncStatus.CANCELLED}),
    SyncStatus.FAILED: frozenset({SyncStatus.QUEUED, SyncStatus.CANCELLED}),
    SyncStatus.DONE: frozenset(),
    SyncStatus.CANCELLED: frozenset(),
}


class SyncJob(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=SyncKind.choices)
    source = models.CharField(_("source"), max_length=16, choices=ProductSource.choices)
    status = models.CharField(_("status"), max_length=16, choices=SyncStatus.choices, default=SyncStatus.QUEUED)
    # What was asked (pages, page size, time range, id ranges): fixed when the job is planned.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("parts in total"), default=0)
    done = models.PositiveIntegerField(_("parts stored"), default=0)
    created_count = models.PositiveIntegerField(_("rows created"), default=0)
    updated_count = models.PositiveIntegerField(_("rows updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("rows unchanged"), default=0)
    gone_count = models.PositiveIntegerField(
        _("marked unavailable"), default=0,
        help_text=_("Products the source no longer returns, marked unavailable by this job."))
    skipped_count = models.PositiveIntegerField(_("rows skipped"), default=0,
                                                help_text=_("Rows the source sent that could not be stored."))
    # The last stored part and, for order reports, the time the source is stored up to.
    position = models.JSONField(_("resume point"), default=dict, blank=True)
    last_error = models.TextField(_("last error"), blank=True, default="")
    retries = models.PositiveIntegerField(_("part retries"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    resumed_at = models.DateTimeField(_("last resumed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sync job")
        verbose_name_plural = _("sync jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One queued or running job per kind and source: a second start resumes the first.
            models.UniqueConstraint(fields=["kind", "source"], condition=Q(status__in=["queued", "running"]),
                                    name="sync_job_one_active_per_kind_source"),
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="sync_job_done_within_total"),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="sync_job_status_heartbeat")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.get_source_display()} {self.done}/{self.total}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def rows_written(self) -> int:
        return self.created_count + self.updated_count + self.gone_count


class SyncJobPart(models.Model):
    """One stored part of a job (written in the same transaction as the part's rows)."""

    job = models.ForeignKey(SyncJob, verbose_name=_("job"), on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveIntegerField(_("part"))
    label = models.CharField(_("covers"), max_length=100, blank=True)
    seen = models.PositiveIntegerField(_("rows seen"), default=0)
    written = models.PositiveIntegerField(_("rows written"), default=0)
    # Pool import: the external ids of this page, kept only for the pages of the hot-seller list.
    external_ids = models.JSONField(_("external ids"), default=list, blank=True)
    stored_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored part")
        verbose_name_plural = _("stored parts")
        ordering = ["job", "number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="sync_job_part_once")]

    def __str__(self) -> str:
        return self.label or str(self.number)


class SyncCheckpoint(models.Model):
    """How far a source's order reports are stored: everything updated before ``position``."""

    source = models.CharField(_("source"), max_length=16, choices=ProductSource.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=SyncKind.choices, default=SyncKind.ORDERS)
    position = models.DateTimeField(_("stored up to"))
    job = models.ForeignKey(SyncJob, verbose_name=_("advanced by"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("sync checkpoint")
        verbose_name_plural = _("sync checkpoints")
        ordering = ["source", "kind"]
        constraints = [models.UniqueConstraint(fields=["source", "kind"], name="sync_checkpoint_once")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.get_kind_display()} → {self.position:%Y-%m-%d %H:%M}"


class OrderReportStatus(models.TextChoices):
    """The sources' order statuses, mapped by each client (``affiliates.sources.base.OrderStatus``)."""

    UNPAID = "unpaid", _("Unpaid")
    PAID = "paid", _("Paid")
    CONFIRMED = "confirmed", _("Received")
    SETTLED = "settled", _("Settled")
    INVALID = "invalid", _("Invalid")


class OrderReport(models.Model):
    """One order line as a source reports it, stored once per (source, order id, line id).

    Money in fen, rates in basis points, times aware. ``raw`` is the row as the client read
    it (no credentials ever reach it). ``handoff_pending`` is set with every change and cleared
    once the ``order_reports_stored`` receivers have taken it (see ``affiliates.sync``).
    """

    source = models.CharField(_("source"), max_length=16, choices=ProductSource.choices)
    order_id = models.CharField(_("order id"), max_length=64)
    line_id = models.CharField(_("line id"), max_length=64)
    product_external_id = models.CharField(_("product id"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    click_id = models.CharField(_("click id"), max_length=64, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=OrderReportStatus.choices)
    raw_status = models.CharField(_("source status"), max_length=32, blank=True)
    paid_amount_fen = models.BigIntegerField(_("paid amount (fen)"))
    commission_rate_bp = models.PositiveIntegerField(_("commission rate (bp)"))
    estimated_commission_fen = models.BigIntegerField(_("estimated commission (fen)"))
    settled_commission_fen = models.BigIntegerField(_("settled commission (fen)"), default=0)
    ordered_at = models.DateTimeField(_("ordered at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    source_updated_at = models.DateTimeField(_("updated at the source"), null=True, blank=True)
    raw = models.JSONField(_("row as reported"), default=dict, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=32)
    handoff_pending = models.BooleanField(_("waiting for hand-off"), default=True)
    created_at = models.DateTimeField(_("first stored at"))
    updated_at = models.DateTimeField(_("last changed at"))

    class Meta:
        verbose_name = _("order report")
        verbose_name_plural = _("order reports")
        ordering = ["-source_updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "order_id", "line_id"], name="order_report_line_once"),
        ]
        indexes = [
            models.Index(fields=["updated_at"], condition=Q(handoff_pending=True), name="order_report_handoff"),
            models.Index(fields=["source", "-source_updated_at"], name="order_report_src_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.order_id}/{self.line_id} {self.get_status_display()}"
