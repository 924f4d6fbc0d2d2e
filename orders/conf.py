"""The orders room's knobs: ``settings.<NAME>`` when set, these defaults otherwise."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings

DEFAULTS = {
    # An unpaid order closes (and gives its stock back) after this long.
    "ORDER_PAYMENT_TIMEOUT": timedelta(minutes=30),
    # A shipped order the shopper did not confirm counts as received after this many days.
    "ORDER_AUTO_CONFIRM_DAYS": 10,
    # A received order completes (after-sales window over) after this many days.
    "ORDER_COMPLETE_AFTER_DAYS": 7,
    # The most units of one SKU a single order may take.
    "ORDER_MAX_QUANTITY": 99,
    # The payment gateway orders are paid through, and the sandbox gateway's HMAC secret.
    "PAYMENT_GATEWAY": "sandbox",
    "PAYMENT_SANDBOX_SECRET": "",  # always set in settings (prod derives it from SECRET_KEY)
    # How long the sandbox gateway waits for our notify endpoint.
    "PAYMENT_NOTIFY_TIMEOUT_SECONDS": 5,
    # Where the sandbox gateway serves its statement (对账单); blank = SITE_BASE_URL.
    "PAYMENT_SANDBOX_BASE_URL": "",
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
