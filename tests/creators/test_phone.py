"""Phone binding: six-digit codes that expire, work once, resist guessing and flooding."""
import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import Conflict, InvalidInput, RateLimited
from creators import sms
from creators.models import PhoneCode
from creators.services import phone_bind, phone_code_request
from tests.factories.creators import UserFactory, bind_phone

pytestmark = pytest.mark.django_db
PHONE = "13800138000"


def last_code() -> str:
    return sms.outbox[-1].code


@pytest.fixture
def no_interval(settings):
    settings.SMS_MIN_INTERVAL_SECONDS = 0


@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "138001380001", "1380013800a", "", "02388888888"])
def test_malformed_phone_is_refused_with_a_clear_message(user, raw):
    with pytest.raises(InvalidInput) as err:
        phone_code_request(user=user, phone=raw)
    assert err.value.field == "phone" and err.value.code == "phone_format"
    assert not sms.outbox


@pytest.mark.parametrize("raw", ["13800138000", "+86 138 0013 8000", "138-0013-8000", "19912345678"])
def test_mainland_mobile_numbers_are_accepted(user, raw):
    record = phone_code_request(user=user, phone=raw)
    assert record.phone == raw.replace("+86", "").replace(" ", "").replace("-", "")


def test_code_is_six_digits_sent_by_the_backend_and_stored_hashed(user):
    record = phone_code_request(user=user, phone=PHONE)
    code = last_code()
    assert len(code) == 6 and code.isdigit() and sms.outbox[-1].phone == PHONE
    assert code not in record.code_hash


def test_console_backend_writes_the_code_to_the_log_at_info(user, settings, caplog):
    settings.SMS_BACKEND = "creators.sms.ConsoleSmsBackend"
    with caplog.at_level(logging.INFO, logger="creators.sms"):
        phone_code_request(user=user, phone=PHONE)
    record = next(r for r in caplog.records if r.name == "creators.sms")
    assert record.levelno == logging.INFO and "138****8000" in record.getMessage()
    assert any(part.isdigit() and len(part) == 6 for part in record.getMessage().split())


def test_right_code_binds_the_phone(user):
    phone_code_request(user=user, phone=PHONE)
    phone_bind(user=user, phone=PHONE, code=last_code())
    user.refresh_from_db()
    assert user.phone == PHONE and user.phone_bound_at is not None


def test_code_works_only_once(user):
    phone_code_request(user=user, phone=PHONE)
    code = last_code()
    phone_bind(user=user, phone=PHONE, code=code)
    with pytest.raises(InvalidInput) as err:
        phone_bind(user=user, phone=PHONE, code=code)
    assert err.value.code == "code_used" and err.value.field == "code"


def test_code_expires_after_the_ttl(user, monkeypatch, settings):
    phone_code_request(user=user, phone=PHONE)
    code = last_code()
    later = timezone.now() + settings.SMS_CODE_TTL + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(InvalidInput) as err:
        phone_bind(user=user, phone=PHONE, code=code)
    assert err.value.code == "code_expired"
    user.refresh_from_db()
    assert user.phone is None


def test_code_still_works_just_before_the_ttl(user, monkeypatch, settings):
    phone_code_request(user=user, phone=PHONE)
    code = last_code()
    nearly = timezone.now() + settings.SMS_CODE_TTL - timedelta(seconds=5)
    monkeypatch.setattr(timezone, "now", lambda: nearly)
    phone_bind(user=user, phone=PHONE, code=code)


def test_wrong_guesses_are_counted_and_lock_the_code(user, settings):
    phone_code_request(user=user, phone=PHONE)
    code = last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(settings.SMS_VERIFY_MAX_ATTEMPTS):
        with pytest.raises(InvalidInput) as err:
            phone_bind(user=user, phone=PHONE, code=wrong)
        assert err.value.code == "code_wrong"
    assert PhoneCode.objects.get().attempts == settings.SMS_VERIFY_MAX_ATTEMPTS
    with pytest.raises(InvalidInput) as err:
        phone_bind(user=user, phone=PHONE, code=code)
    assert err.value.code == "code_locked"


def test_a_new_code_replaces_the_old_one(user, no_interval):
    phone_code_request(user=user, phone=PHONE)
    old = last_code()
    phone_code_request(user=user, phone=PHONE)
    new = last_code()
    if old != new:
        with pytest.raises(InvalidInput):
            phone_bind(user=user, phone=PHONE, code=old)
    phone_bind(user=user, phone=PHONE, code=new)


def test_code_for_another_number_or_user_does_not_bind(user):
    phone_code_request(user=user, phone=PHONE)
    code = last_code()
    with pytest.raises(InvalidInput) as err:
        phone_bind(user=user, phone="13900139000", code=code)
    assert err.value.code == "code_missing"
    with pytest.raises(InvalidInput):
        phone_bind(user=UserFactory(), phone=PHONE, code=code)


def test_second_request_within_the_interval_is_refused(user):
    phone_code_request(user=user, phone=PHONE)
    with pytest.raises(RateLimited) as err:
        phone_code_request(user=user, phone=PHONE)
    assert err.value.code == "too_soon" and err.value.field == "phone"
    assert len(sms.outbox) == 1


def test_requests_per_phone_are_limited(user, settings, no_interval):
    settings.SMS_RATE_PER_PHONE = (3, 3600)
    for _ in range(3):
        phone_code_request(user=user, phone=PHONE)
    with pytest.raises(RateLimited) as err:
        phone_code_request(user=UserFactory(), phone=PHONE)
    assert err.value.code == "phone_rate"
    assert len(sms.outbox) == 3


def test_requests_per_ip_are_limited_across_phones(user, settings, no_interval):
    settings.SMS_RATE_PER_IP = (2, 3600)
    phone_code_request(user=user, phone="13800000001", ip="10.1.1.1")
    phone_code_request(user=user, phone="13800000002", ip="10.1.1.1")
    with pytest.raises(RateLimited) as err:
        phone_code_request(user=user, phone="13800000003", ip="10.1.1.1")
    assert err.value.code == "ip_rate"
    phone_code_request(user=user, phone="13800000004", ip="10.2.2.2")


def test_a_phone_binds_to_one_account_only(user):
    bind_phone(UserFactory(), PHONE)
    with pytest.raises(Conflict) as err:
        phone_code_request(user=user, phone=PHONE)
    assert err.value.field == "phone" and err.value.status_code == 409


def test_phone_taken_between_request_and_bind_is_refused(user):
    phone_code_request(user=user, phone=PHONE)
    code = last_code()
    bind_phone(UserFactory(), PHONE)
    with pytest.raises(Conflict):
        phone_bind(user=user, phone=PHONE, code=code)
    user.refresh_from_db()
    assert user.phone is None


def test_api_flow_and_error_shapes(api, user):
    bad = api.post("/api/v1/creators/me/phone/code", {"phone": "1234"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "phone"
    sent = api.post("/api/v1/creators/me/phone/code", {"phone": PHONE}, format="json")
    assert sent.status_code == 202 and sent.json()["sent_to"] == "138****8000"
    again = api.post("/api/v1/creators/me/phone/code", {"phone": PHONE}, format="json")
    assert again.status_code == 429
    wrong = api.post("/api/v1/creators/me/phone", {"phone": PHONE, "code": "abc"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["error"]["field"] == "code"
    ok = api.post("/api/v1/creators/me/phone", {"phone": PHONE, "code": last_code()}, format="json")
    assert ok.status_code == 200 and ok.json() == {**ok.json(), "bound": True, "phone": "138****8000"}
    assert PHONE not in api.get("/api/v1/creators/me/phone").content.decode()


def test_api_reports_a_taken_phone_as_409(api):
    bind_phone(UserFactory(), PHONE)
    response = api.post("/api/v1/creators/me/phone/code", {"phone": PHONE}, format="json")
    assert response.status_code == 409 and response.json()["error"]["field"] == "phone"


def test_page_sends_a_code_then_binds(logged_in, user):
    url = reverse("creators:phone")
    response = logged_in.post(url, {"phone": "999", "action": "send"})
    assert "13 至 19" in response.content.decode()
    logged_in.post(url, {"phone": PHONE, "action": "send"})
    response = logged_in.post(url, {"phone": PHONE, "code": "000000" if last_code() != "000000" else "111111",
                                    "action": "bind"})
    assert "验证码错误" in response.content.decode()
    response = logged_in.post(url, {"phone": PHONE, "code": last_code(), "action": "bind"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone == PHONE
