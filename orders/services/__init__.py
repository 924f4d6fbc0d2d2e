"""Every write of the orders app: clicks (attribution starts here), the native order lifecycle,
payments and external orders. Import from here."""
from .addresses import address_create
from .aftersale import order_refund, order_refund_reject, order_refund_request, order_refund_totals
from .clicks import CLICK_ID_ALPHABET, CLICK_ID_LENGTH, click_create, click_target_set
from .consent import order_display_consent_grant, order_display_consent_revoke
from .lifecycle import (
    order_cancel,
    order_close_if_due,
    order_confirm,
    order_mark_paid,
    order_place,
    order_ship,
    orders_auto_confirm,
    orders_close_unpaid,
    orders_complete_due,
)
from .payments import payment_notify_handle, payment_start, sandbox_payment_decide
from .refunds import refund_execute, refund_retry, refunds_retry_stale

__all__ = [
    "address_create", "order_display_consent_grant", "order_display_consent_revoke", "CLICK_ID_ALPHABET", "CLICK_ID_LENGTH", "click_create", "click_target_set", "order_cancel", "order_confirm",
    "order_mark_paid", "order_place", "order_refund", "order_refund_reject", "order_refund_request", "order_refund_totals",
    "order_ship",
    "orders_auto_confirm", "order_close_if_due", "orders_close_unpaid", "orders_complete_due", "payment_notify_handle", "payment_start",
    "sandbox_payment_decide", "refund_execute", "refund_retry", "refunds_retry_stale",
]
from .external import external_orders_upsert  # noqa: E402,F401
