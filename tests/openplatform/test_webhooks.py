"""Issue 14 §6: signed webhooks from the outbox, only for apps the creator granted, retried with backoff."""
import datetime
import hashlib
import hmac
import json
import secrets

import pytest
import requests
from django.utils import timezone
from oauth2_provider.models import AccessToken

from core.outbox import outbox_emit
from openplatform import webhooks
from openplatform.models import WebhookDelivery
from openplatform.services import app_approve, app_register
from tests.factories.creators import UserFactory


class Capture:
    """A stand-in HTTP session that records what was sent and answers the status codes given."""

    def __init__(self, *codes):
        self.codes = list(codes)
        self.sent = []

    def post(self, url, data, headers, timeout, allow_redirects):
        self.sent.append((url, data, headers))
        code = self.codes.pop(0) if self.codes else 200
        if code == "down":
            raise requests.ConnectionError("connection refused")
        response = requests.Response()
        response.status_code = code
        return response


@pytest.fixture
def app(db):
    a = app_register(developer=UserFactory(), name="星河MCN助手", purpose="x", callback_url="https://a.example/cb",
                     webhook_url="https://a.example/hook")
    return app_approve(app=a)


def grant(app, user):
    AccessToken.objects.create(user=user, application=app.oauth_application, token=secrets.token_urlsafe(24),
                               expires=timezone.now() + datetime.timedelta(days=7), scope="orders.read")


def test_order_paid_reaches_only_the_apps_the_creator_granted_signed(app, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    creator, stranger = UserFactory(), UserFactory()
    grant(app, creator)
    capture = Capture()
    monkeypatch.setattr(webhooks, "requests", type("R", (), {"post": capture.post,
                                                            "RequestException": requests.RequestException}))
    with django_capture_on_commit_callbacks(execute=True):
        outbox_emit(topic="order.paid", key="order.paid:1", payload={"order_id": 1, "creator_id": creator.pk,
                                                                     "total_fen": 9900})
        outbox_emit(topic="order.paid", key="order.paid:2", payload={"order_id": 2, "creator_id": stranger.pk,
                                                                     "total_fen": 100})
    assert len(capture.sent) == 1
    url, body, headers = capture.sent[0]
    assert url == "https://a.example/hook" and headers["X-Open-Event"] == "order.paid"
    expected = hmac.new(app.secret.encode(), headers["X-Open-Timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert headers["X-Open-Signature"] == expected
    assert json.loads(body)["data"]["order_id"] == 1
    d = WebhookDelivery.objects.get()
    assert d.status == WebhookDelivery.Status.DELIVERED and d.creator_id == creator.pk


def test_failures_are_retried_with_exponential_backoff_and_given_up_after_a_day(app):
    creator = UserFactory()
    grant(app, creator)
    d = WebhookDelivery.objects.create(app=app, event_key="order.paid:9", topic="order.paid", creator_id=creator.pk,
                                       payload={"order_id": 9})
    session = Capture(500, "down", 503)
    assert webhooks.webhook_attempt(d.pk, session=session) == 60
    assert webhooks.webhook_attempt(d.pk, session=session) == 120
    assert webhooks.webhook_attempt(d.pk, session=session) == 240
    d.refresh_from_db()
    assert d.status == WebhookDelivery.Status.PENDING and d.attempts == 3 and "HTTP 503" in d.last_error
    assert webhooks.webhook_attempt(d.pk, session=session) is None  # 200 now
    d.refresh_from_db()
    assert d.status == WebhookDelivery.Status.DELIVERED
    late = WebhookDelivery.objects.create(app=app, event_key="order.paid:10", topic="order.paid",
                                          creator_id=creator.pk, payload={})
    WebhookDelivery.objects.filter(pk=late.pk).update(created_at=timezone.now() - datetime.timedelta(hours=23, minutes=59))
    assert webhooks.webhook_attempt(late.pk, session=Capture(500)) is None
    late.refresh_from_db()
    assert late.status == WebhookDelivery.Status.FAILED


def test_backoff_doubles():
    assert [webhooks.backoff(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


def test_a_penalty_applied_to_a_granting_creator_is_pushed(app, monkeypatch, django_capture_on_commit_callbacks):
    from creators.models import RuleArticle, Violation
    from creators.services import violation_confirm
    from creators.services.credit import violation_record
    from creators.services.rights import cart_rights_grant

    creator = UserFactory()
    cart_rights_grant(user=creator, application=None, actor=None)
    grant(app, creator)
    capture = Capture()
    monkeypatch.setattr(webhooks, "requests", type("R", (), {"post": capture.post,
                                                            "RequestException": requests.RequestException}))
    rule = RuleArticle.objects.create(code="CONTENT-01", title="虚假宣传处罚规则", category="content", body="x")
    with django_capture_on_commit_callbacks(execute=True):
        v = violation_record(violation=Violation(creator=creator, rule=rule, severity="ordinary", right_kind="video",
                                                 summary="夸大功效", occurred_on=timezone.localdate()), actor=None)
        violation_confirm(violation_id=v.pk, actor=None)
    events = [h["X-Open-Event"] for _, _, h in capture.sent]
    assert events == ["penalty.applied"]
    assert json.loads(capture.sent[0][1])["data"]["creator_id"] == creator.pk
