"""The sandbox's own state: orders shoppers placed on the imitated outside shops, and the
share tokens / short links the imitated gateways handed out. Catalog items are generated,
never stored (see ``catalog.py``)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class SandboxOrder(models.Model):
    """One order line on an outside shop, as that source's order report will show it."""

    class Status(models.TextChoices):
        UNPAID = "unpaid", "unpaid"
        PAID = "paid", "paid"
        FINISHED = "finished", "finished"  # the shopper confirmed receipt
        SETTLED = "settled", "settled"  # the source settled the commission
        REFUNDED = "refunded", "refunded"  # closed / refunded / cancelled

    TRANSITIONS = {
        Status.UNPAID: {Status.PAID, Status.REFUNDED},
        Status.PAID: {Status.FINISHED, Status.REFUNDED},
        Status.FINISHED: {Status.SETTLED, Status.REFUNDED},
        Status.SETTLED: set(),
        Status.REFUNDED: set(),
    }

    source = models.CharField(max_length=16)
    order_id = models.CharField(max_length=32)
    line_id = models.CharField(max_length=32)
    product_external_id = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(default=1)
    unit_price_fen = models.BigIntegerField()
    paid_amount_fen = models.BigIntegerField()
    commission_rate_bp = models.IntegerField()
    estimated_commission_fen = models.BigIntegerField()
    settled_commission_fen = models.BigIntegerField(default=0)
    click_id = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PAID)
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("sandbox order")
        verbose_name_plural = _("sandbox orders")
        ordering = ["updated_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "order_id", "line_id"], name="sandbox_order_line_unique"),
        ]
        indexes = [models.Index(fields=["source", "updated_at", "id"], name="sandbox_order_updated")]

    def __str__(self) -> str:
        return f"{self.source} {self.order_id}/{self.line_id} {self.status}"


class SandboxLink(models.Model):
    """A share token (淘口令) or short link an imitated gateway made, and where it leads."""

    source = models.CharField(max_length=16)
    code = models.CharField(max_length=64)
    target_url = models.TextField()
    external_id = models.CharField(max_length=64)
    click_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sandbox link")
        verbose_name_plural = _("sandbox links")
        constraints = [models.UniqueConstraint(fields=["source", "code"], name="sandbox_link_code_unique")]

    def __str__(self) -> str:
        return f"{self.source} {self.code}"
