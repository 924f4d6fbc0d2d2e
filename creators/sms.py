"""Pluggable SMS backends for verification codes, selected by ``settings.SMS_BACKEND``.

A real provider subclasses :class:`BaseSmsBackend`; development uses the console backend,
which writes the code to the log, and tests may use the in-memory outbox.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"


class BaseSmsBackend:
    def send_code(self, *, phone: str, code: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Development: the code goes to the log at INFO instead of a phone."""

    def send_code(self, *, phone: str, code: str) -> None:
        minutes = int(settings.SMS_CODE_TTL.total_seconds() // 60)
        logger.info("SMS verification code for %s: %s (valid %d minutes)", mask_phone(phone), code, minutes)


@dataclass(frozen=True)
class SentSms:
    phone: str
    code: str


# Filled by LocmemSmsBackend, read by tests (like Django's mail.outbox).
outbox: list[SentSms] = []


class LocmemSmsBackend(BaseSmsBackend):
    """Tests: keeps sent codes in :data:`outbox`."""

    def send_code(self, *, phone: str, code: str) -> None:
        outbox.append(SentSms(phone=phone, code=code))


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
