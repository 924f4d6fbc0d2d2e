"""Every write of the creators app, as keyword-only ``<noun>_<verb>`` functions.

Split by subject; import from here: ``from creators.services import follow_create``.
"""
from .accounts import auth_token_issue, auth_token_obtain, profile_update, user_signup, welcome_message_send
from .applications import NotEligible, cart_application_approve, cart_application_reject, cart_application_submit
from .credit import credit_restore, violation_confirm, violation_dismiss
from .follows import follow_counts_recompute, follow_create, follow_delete
from .identity import real_name_verify
from .phone import phone_bind, phone_code_request, validate_phone
from .rights import (
    cart_right_reinstate,
    cart_right_revoke,
    cart_right_suspend,
    cart_rights_grant,
    require_cart_right,
)
from .videos import video_create, video_delete, video_update

__all__ = [
    "NotEligible", "auth_token_issue", "auth_token_obtain", "cart_application_approve", "cart_application_reject",
    "cart_application_submit", "cart_right_reinstate", "cart_right_revoke", "cart_right_suspend",
    "cart_rights_grant", "credit_restore", "follow_counts_recompute", "follow_create", "follow_delete", "phone_bind",
    "phone_code_request", "profile_update", "real_name_verify", "require_cart_right", "user_signup",
    "validate_phone", "video_create", "video_delete", "video_update", "violation_confirm", "violation_dismiss",
    "welcome_message_send",
]
