"""Small model bases shared by every app."""
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class OutboxEvent(models.Model):
    """Something that happened, written in the same transaction as the change it announces
    (see ``core/outbox.py``). ``delivered_at`` stays empty until every receiver has taken it."""

    id = models.BigAutoField(primary_key=True)
    topic = models.CharField(_("topic"), max_length=64, db_index=True)
    key = models.CharField(_("key"), max_length=200, unique=True)
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(delivered_at__isnull=True),
                         name="core_outbox_undelivered"),
        ]

    def __str__(self) -> str:
        return self.key


class OutboxDelivery(models.Model):
    """One receiver has taken one event (inserted in the receiver's own transaction)."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries",
                              verbose_name=_("event"))
    receiver = models.CharField(_("receiver"), max_length=100)
    delivered_at = models.DateTimeField(_("delivered at"), default=timezone.now)

    class Meta:
        verbose_name = _("outbox delivery")
        verbose_name_plural = _("outbox deliveries")
        constraints = [
            models.UniqueConstraint(fields=["event", "receiver"], name="core_outbox_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.receiver}"
