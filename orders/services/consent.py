"""授权管理: the shopper's one-time authorisation to show third-party orders (revocable)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import OrderDisplayConsent


@transaction.atomic
def order_display_consent_grant(*, user) -> OrderDisplayConsent:
    consent, created = OrderDisplayConsent.objects.select_for_update().get_or_create(
        user=user, defaults={"granted_at": timezone.now()})
    if not created and consent.revoked_at is not None:
        consent.granted_at, consent.revoked_at = timezone.now(), None
        consent.save(update_fields=["granted_at", "revoked_at"])
    return consent


def order_display_consent_revoke(*, user) -> None:
    OrderDisplayConsent.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
