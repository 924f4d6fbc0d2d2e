"""Phone binding: a six-digit code by SMS, then verification.

Codes are stored as a keyed hash, expire after ``SMS_CODE_TTL``, work once, and allow
``SMS_VERIFY_MAX_ATTEMPTS`` wrong guesses. Requests are rate-limited per phone and per
IP in the cache (local memory or Redis), with a minimum interval per phone.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, InvalidInput, RateLimited
from core.normalize import code_normalize, phone_normalize

from ..models import PhoneCode, User
from ..sms import get_sms_backend, mask_phone

logger = logging.getLogger(__name__)

PHONE_FORMAT = re.compile(r"^1[3-9][0-9]{9}$")


def validate_phone(raw: str) -> str:
    phone = phone_normalize(raw)  # NFKC, 11 ASCII digits
    if not PHONE_FORMAT.match(phone):
        raise InvalidInput(_("Enter a mainland China mobile number: 11 digits starting with 13 to 19."),
                           field="phone", code="phone_format")
    return phone


def _code_hash(phone: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"sms:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _phone_taken() -> Conflict:
    return Conflict(_("This phone number is already bound to another account."), field="phone", code="phone_taken")


def _count(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def _rate_limit(*, phone: str, ip: str | None) -> None:
    interval = settings.SMS_MIN_INTERVAL_SECONDS
    if interval > 0 and not cache.add(f"sms:gap:{phone}", 1, timeout=interval):
        raise RateLimited(_("A code was just sent to this number; wait %(seconds)s seconds before asking again.")
                          % {"seconds": interval}, field="phone", code="too_soon")
    limit, window = settings.SMS_RATE_PER_PHONE
    if _count(f"sms:phone:{phone}", window) > limit:
        raise RateLimited(_("Too many codes sent to this number; try again later."), field="phone", code="phone_rate")
    if ip:
        limit, window = settings.SMS_RATE_PER_IP
        if _count(f"sms:ip:{ip}", window) > limit:
            raise RateLimited(_("Too many code requests from your network; try again later."),
                              field="phone", code="ip_rate")


def phone_code_request(*, user: User, phone: str, ip: str | None = None) -> PhoneCode:
    """Send a fresh code to ``phone`` for ``user``; an earlier code for it stops working."""
    phone = validate_phone(phone)
    if user.phone == phone:
        raise Conflict(_("This phone number is already bound to your account."), field="phone", code="already_bound")
    if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        raise _phone_taken()
    _rate_limit(phone=phone, ip=ip)
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    record = PhoneCode.objects.create(
        user=user, phone=phone, code_hash=_code_hash(phone, code), created_at=now,
        expires_at=now + settings.SMS_CODE_TTL, request_ip=ip,
    )
    get_sms_backend().send_code(phone=phone, code=code)
    logger.info("phone code requested user=%s phone=%s", user.pk, mask_phone(phone))
    return record


def phone_bind(*, user: User, phone: str, code: str) -> User:
    """Check the latest code sent to ``phone`` for ``user`` and bind the phone to the account."""
    phone = validate_phone(phone)
    code = code_normalize(code)
    error = None
    with transaction.atomic():
        # Wrong guesses must be counted even though the call fails, so errors are raised after commit.
        record = (PhoneCode.objects.select_for_update().filter(user=user, phone=phone)
                  .order_by("-created_at", "-pk").first())
        now = timezone.now()
        if record is None:
            error = InvalidInput(_("Request a code for this number first."), field="code", code="code_missing")
        elif record.used_at is not None:
            error = InvalidInput(_("This code has already been used; request a new one."), field="code", code="code_used")
        elif record.expires_at <= now:
            error = InvalidInput(_("This code has expired; request a new one."), field="code", code="code_expired")
        elif record.attempts >= settings.SMS_VERIFY_MAX_ATTEMPTS:
            error = InvalidInput(_("Too many wrong attempts; request a new code."), field="code", code="code_locked")
        elif not hmac.compare_digest(record.code_hash, _code_hash(phone, code)):
            record.attempts += 1
            record.save(update_fields=["attempts"])
            error = InvalidInput(_("Wrong verification code."), field="code", code="code_wrong")
        elif User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
            error = _phone_taken()
        else:
            try:
                with transaction.atomic():
                    User.objects.filter(pk=user.pk).update(phone=phone, phone_bound_at=now)
            except IntegrityError:
                error = _phone_taken()
            else:
                record.used_at = now
                record.save(update_fields=["used_at"])
    if error is not None:
        raise error
    user.refresh_from_db(fields=["phone", "phone_bound_at"])
    logger.info("phone bound user=%s phone=%s", user.pk, mask_phone(phone))
    return user
