"""Password guessing is throttled per account and per address (django-axes): 429 with Retry-After,
the owner is told once per lockout, and nothing reveals whether a handle exists."""
import logging

import pytest
from django.urls import reverse

from notices.models import InboxMessage
from tests.factories.creators import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_COOLOFF_MINUTES = 15


def guess(api_client, handle, password="wrong-password", ip="10.0.0.1"):
    return api_client.post(TOKEN_URL, {"handle": handle, "password": password}, format="json", REMOTE_ADDR=ip)


def test_wrong_credentials_on_the_api_answer_401_in_the_one_error_shape(api_client):
    user = UserFactory()
    resp = guess(api_client, user.handle)
    assert resp.status_code == 401
    assert resp.has_header("WWW-Authenticate")
    assert resp.json()["error"]["code"] == "invalid_credentials"
    assert resp.json()["error"]["field"] == "password"


def test_the_right_password_after_too_many_wrong_ones_is_refused_with_429(api_client):
    user = UserFactory()
    for _ in range(3):
        guess(api_client, user.handle)
    resp = guess(api_client, user.handle, password=PASSWORD)
    assert resp.status_code == 429
    assert int(resp["Retry-After"]) == 15 * 60
    assert resp.json()["error"]["code"] == "login_locked"


def test_the_account_lock_holds_from_another_address(api_client):
    user = UserFactory()
    for n in range(3):
        guess(api_client, user.handle, ip=f"10.0.1.{n}")
    assert guess(api_client, user.handle, password=PASSWORD, ip="10.9.9.9").status_code == 429


def test_one_address_guessing_many_accounts_is_locked(api_client):
    victims = UserFactory.create_batch(4)
    for victim in victims[:3]:
        guess(api_client, victim.handle, ip="10.0.2.1")
    assert guess(api_client, victims[3].handle, password=PASSWORD, ip="10.0.2.1").status_code == 429
    assert guess(api_client, victims[3].handle, password=PASSWORD, ip="10.0.2.2").status_code == 200


def test_unknown_and_known_handles_get_the_same_answers(api_client):
    user = UserFactory()
    known = [guess(api_client, user.handle, ip="10.0.3.1") for _ in range(4)]
    unknown = [guess(api_client, "nobody_here", ip="10.0.3.2") for _ in range(4)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [401, 401, 429, 429]
    assert [r.json() for r in known] == [r.json() for r in unknown]


def test_the_lock_is_released_after_the_cool_off(api_client, settings):
    from django.core.cache import cache

    user = UserFactory()
    for _ in range(3):
        guess(api_client, user.handle)
    assert guess(api_client, user.handle, password=PASSWORD).status_code == 429
    cache.clear()  # the counts' cache entries expire with the cool-off
    assert guess(api_client, user.handle, password=PASSWORD).status_code == 200


def test_the_owner_is_told_once_per_lockout_and_it_is_logged(api_client, caplog, django_capture_on_commit_callbacks):
    user = UserFactory()
    with caplog.at_level(logging.WARNING, logger="security"), django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            guess(api_client, user.handle)
    messages = InboxMessage.objects.filter(recipient=user, kind="security.login_locked")
    assert messages.count() == 1
    assert messages.get().sender.handle
    assert len([r for r in caplog.records if r.name == "security"]) == 1
    assert f"account={user.handle.lower()}" in [r for r in caplog.records if r.name == "security"][0].getMessage()


def test_login_page_is_throttled_with_a_translated_message(client):
    user = UserFactory()
    for _ in range(3):
        client.post(reverse("creators:login"), {"username": user.handle, "password": "nope"}, REMOTE_ADDR="10.0.4.1")
    resp = client.post(reverse("creators:login"), {"username": user.handle, "password": PASSWORD},
                       REMOTE_ADDR="10.0.4.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert resp.status_code == 429
    assert resp.has_header("Retry-After")
    html = resp.content.decode()
    assert 'id="login-locked"' in html and "15" in html
    assert "_auth_user_id" not in client.session


def test_login_page_and_api_share_the_account_count(client, api_client):
    user = UserFactory()
    for _ in range(3):
        client.post(reverse("creators:login"), {"username": user.handle, "password": "nope"}, REMOTE_ADDR="10.0.5.1")
    assert guess(api_client, user.handle.upper(), password=PASSWORD, ip="10.0.5.2").status_code == 429
