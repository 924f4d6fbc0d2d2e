"""Open platform (issue 14): apps registered by developers and approved by an operator.

The secret is stored as is in ``secret``: HMAC verification needs the secret itself (a hash cannot verify an
HMAC), and the admin never displays nor edits that field (see ``admin.py``); the developer sees it once.
"""
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    return "ak" + secrets.token_hex(8)


def new_secret() -> str:
    return secrets.token_hex(24)


WEBHOOK_EVENTS = ("order.paid", "refund.succeeded", "commission.settled", "penalty.applied")


def all_events() -> list[str]:
    return list(WEBHOOK_EVENTS)


class OpenApp(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    developer = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="open_apps",
                                  verbose_name=_("developer"))
    name = models.CharField(_("name"), max_length=60)
    purpose = models.TextField(_("purpose"), max_length=500)
    callback_url = models.URLField(_("callback URL"))
    webhook_url = models.URLField(_("webhook URL"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    app_key = models.CharField(_("app key"), max_length=32, unique=True, default=new_key)
    secret = models.CharField(_("secret"), max_length=64, default=new_secret)
    old_secret = models.CharField(_("previous secret"), max_length=64, blank=True)
    old_secret_until = models.DateTimeField(_("previous secret valid until"), null=True, blank=True)
    quota_per_minute = models.PositiveIntegerField(
        _("quota per method per minute"), null=True, blank=True,
        help_text=_("Empty: the default of the settings (OPEN_QUOTA_PER_MINUTE)."))
    oauth_application = models.OneToOneField("oauth2_provider.Application", models.SET_NULL, null=True,
                                             blank=True, related_name="open_app",
                                             verbose_name=_("OAuth application"))
    webhook_events = models.JSONField(
        _("webhook events"), default=all_events, blank=True,
        help_text=_("Events sent to the webhook URL: order.paid, refund.succeeded, commission.settled, penalty.applied."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("open app")
        verbose_name_plural = _("open apps")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.name} ({self.app_key})"

    def secrets_valid(self, now=None) -> list[str]:
        now = now or timezone.now()
        out = [self.secret]
        if self.old_secret and self.old_secret_until and self.old_secret_until > now:
            out.append(self.old_secret)
        return out

    @property
    def quota(self) -> int:
        return self.quota_per_minute or settings.OPEN_QUOTA_PER_MINUTE


class WebhookDelivery(models.Model):
    """One event for one app (about one creator who granted it), sent until it is taken or a day has passed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    app = models.ForeignKey(OpenApp, models.CASCADE, related_name="deliveries", verbose_name=_("app"))
    event_key = models.CharField(_("event key"), max_length=160)
    topic = models.CharField(_("event"), max_length=40)
    creator_id = models.BigIntegerField(_("creator"))
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["app", "event_key", "creator_id"],
                                               name="open_delivery_once")]

    def __str__(self):
        return f"{self.topic} → {self.app.name}"
