"""Webhooks (issue 14 §6): outbox events → one delivery per (app, event, creator) for the apps the creator
granted, sent signed (HMAC-SHA256 over ``timestamp + "." + body``) and retried with exponential backoff for a day.

Headers: ``X-Open-Event``, ``X-Open-Timestamp`` (unix seconds), ``X-Open-Signature`` (lower hex).
"""
import datetime
import json
import logging

import requests
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from core.outbox import outbox_receiver

from .models import OpenApp, WebhookDelivery
from .signing import webhook_signature

logger = logging.getLogger(__name__)

FIRST_DELAY_SECONDS = 60
GIVE_UP_AFTER = datetime.timedelta(days=1)
TIMEOUT_SECONDS = 5


def backoff(attempts: int) -> int:
    """Seconds before the next attempt after ``attempts`` failed ones: 1, 2, 4, 8 … minutes."""
    return FIRST_DELAY_SECONDS * 2 ** max(0, attempts - 1)


def apps_granted_by(creator_id: int, topic: str) -> list[OpenApp]:
    app_ids = (get_access_token_model().objects.filter(user_id=creator_id, application__open_app__isnull=False)
               .values_list("application__open_app", flat=True).distinct())
    return [a for a in OpenApp.objects.filter(pk__in=list(app_ids), status=OpenApp.Status.APPROVED)
            .exclude(webhook_url="") if topic in (a.webhook_events or [])]


def deliveries_create(*, topic: str, event_key: str, creator_id: int | None, payload: dict) -> list[int]:
    if not creator_id:
        return []
    ids = []
    for app in apps_granted_by(creator_id, topic):
        row, created = WebhookDelivery.objects.get_or_create(
            app=app, event_key=event_key, creator_id=creator_id,
            defaults={"topic": topic, "payload": payload, "next_attempt_at": timezone.now()})
        if created:
            ids.append(row.pk)
    if ids:
        from .tasks import webhook_send
        transaction.on_commit(lambda: [webhook_send.delay(i) for i in ids])
    return ids


def delivery_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps({"event": delivery.topic, "id": delivery.pk, "creator_id": delivery.creator_id,
                       "data": delivery.payload}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def webhook_attempt(delivery_id: int, *, session=None) -> int | None:
    """One attempt. Returns the seconds before the next one, or None when delivered or given up."""
    with transaction.atomic():
        d = WebhookDelivery.objects.select_for_update().select_related("app").filter(pk=delivery_id).first()
        if d is None or d.status == WebhookDelivery.Status.DELIVERED:
            return None
        body = delivery_body(d)
        ts = str(int(timezone.now().timestamp()))
        headers = {"Content-Type": "application/json", "X-Open-Event": d.topic, "X-Open-Timestamp": ts,
                   "X-Open-Signature": webhook_signature(d.app.secret, ts, body)}
        d.attempts += 1
        try:
            response = (session or requests).post(d.app.webhook_url, data=body, headers=headers,
                                                  timeout=TIMEOUT_SECONDS, allow_redirects=False)
            d.last_status_code = response.status_code
            ok = 200 <= response.status_code < 300
            d.last_error = "" if ok else f"HTTP {response.status_code}"
        except requests.RequestException as exc:
            ok = False
            d.last_error = str(exc)[:300]
        now = timezone.now()
        if ok:
            d.status, d.delivered_at, d.next_attempt_at = WebhookDelivery.Status.DELIVERED, now, None
            d.save()
            return None
        delay = backoff(d.attempts)
        if now + datetime.timedelta(seconds=delay) - d.created_at > GIVE_UP_AFTER:
            d.status, d.next_attempt_at = WebhookDelivery.Status.FAILED, None
            d.save()
            return None
        d.status, d.next_attempt_at = WebhookDelivery.Status.PENDING, now + datetime.timedelta(seconds=delay)
        d.save()
        return delay


def delivery_resend(delivery: WebhookDelivery) -> None:
    """Admin's resend: back to pending, sent now."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.PENDING,
                                                          next_attempt_at=timezone.now())
    from .tasks import webhook_send
    transaction.on_commit(lambda: webhook_send.delay(delivery.pk))


@outbox_receiver("order.paid", name="openplatform.webhook_order_paid")
def on_order_paid(event):
    deliveries_create(topic="order.paid", event_key=event.key, creator_id=event.payload.get("creator_id"),
                      payload=event.payload)


@outbox_receiver("order.refund_succeeded", name="openplatform.webhook_refund_succeeded")
def on_refund_succeeded(event):
    from orders.models import Order

    creator_id = Order.objects.filter(pk=event.payload.get("order_id")).values_list("creator_id", flat=True).first()
    deliveries_create(topic="refund.succeeded", event_key=event.key, creator_id=creator_id, payload=event.payload)


@outbox_receiver("commission.settled", name="openplatform.webhook_commission_settled")
def on_commission_settled(event):
    for row in event.payload.get("creators", []):
        deliveries_create(topic="commission.settled", event_key=event.key, creator_id=row.get("creator_id"),
                          payload={"transaction": event.payload.get("transaction"),
                                   "settled_at": event.payload.get("settled_at"), **row})


@outbox_receiver("penalty.applied", name="openplatform.webhook_penalty_applied")
def on_penalty_applied(event):
    deliveries_create(topic="penalty.applied", event_key=event.key, creator_id=event.payload.get("creator_id"),
                      payload=event.payload)
