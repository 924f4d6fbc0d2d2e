"""Password guessing: django-axes counts failed log-ins per account and per address (in the cache,
Redis when ``REDIS_URL`` is set, so the lockout holds across processes) and locks both for
``LOGIN_LOCKOUT_COOLOFF_MINUTES``. This module gives axes the account key, the 429 answer for the
login page and the API, and tells the account's owner through the commerce assistant (once per
lockout) and the ``security`` log. The answer is the same whether or not the handle exists.
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.signals import user_locked_out
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.errors import RateLimited
from core.normalize import handle_normalize

security_log = logging.getLogger("security")


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' lockout check for log-ins that come with a request (the login page, the token API).

    A call without a request (``Client.login``, shell, management commands) has no address to
    count and is not a guess from outside, so it is left to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def cool_off(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: how long a lockout lasts (setting LOGIN_LOCKOUT_COOLOFF_MINUTES)."""
    return timedelta(minutes=settings.LOGIN_LOCKOUT_COOLOFF_MINUTES)


def retry_after_seconds() -> int:
    return int(cool_off().total_seconds())


def lockout_key(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the account a log-in tried, as compared (NFKC, case-insensitive).

    The login page posts ``username``, the API ``handle``."""
    credentials = credentials or {}
    raw = credentials.get("username") or credentials.get("handle")
    if raw is None and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        try:
            raw = data.get("handle") or data.get("username")
        except AttributeError:  # a JSON list body
            raw = None
    key = handle_normalize(raw if isinstance(raw, str) else "").lower()
    return key or None


def lockout_message():
    return _("Too many failed log-in attempts. For your safety, log-in is paused; try again in "
             "%(minutes)s minutes.") % {"minutes": settings.LOGIN_LOCKOUT_COOLOFF_MINUTES}


class LoginLocked(RateLimited):
    default_code = "login_locked"

    def __init__(self):
        super().__init__(lockout_message(), field="handle")
        self.retry_after = retry_after_seconds()


def lockout_response(request, credentials=None):
    """AXES_LOCKOUT_CALLABLE: 429 with Retry-After; the one error shape for the API, the login page
    with the message otherwise."""
    if request.path.startswith("/api/"):
        error = LoginLocked()
        response = JsonResponse(error.as_dict(), status=429, json_dumps_params={"ensure_ascii": False})
    else:
        from .forms import LoginForm

        form = LoginForm(request, initial={"username": (request.POST.get("username") or "")[:32]})
        response = render(request, "creators/login.html", {
            "form": form, "lockout_message": lockout_message(), "next": request.POST.get("next", ""),
        }, status=429)
    response["Retry-After"] = str(retry_after_seconds())
    return response


@receiver(user_locked_out, dispatch_uid="creators.security.user_locked_out")
def on_user_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """Log every lockout once per account and cool-off, and tell an existing account's owner."""
    seconds = retry_after_seconds()
    if not cache.add(f"security:lockout-notice:{username or '-'}:{ip_address or '-'}", 1, timeout=seconds):
        return  # this lockout was already reported (axes signals it on every refused attempt)
    security_log.warning("login locked out account=%s ip=%s path=%s for %ss", username or "-", ip_address or "-",
                         getattr(request, "path", "-"), seconds)
    if not username:
        return
    from .models import User

    user = User.objects.filter(handle__iexact=username).first()
    if user is None or not cache.add(f"security:lockout-message:{username}", 1, timeout=seconds):
        return
    window = int(time.time() // max(seconds, 1))
    transaction.on_commit(lambda: _tell_owner(user=user, window=window, minutes=seconds // 60))


def _tell_owner(*, user, window: int, minutes: int) -> None:
    from notices.models import OfficialKind
    from notices.services import message_send

    message_send(
        recipient=user, sender_handle_or_user=OfficialKind.COMMERCE_ASSISTANT, kind="security.login_locked",
        dedupe_key=f"login-locked:{window}",
        title=gettext_noop("Log-in to your account was paused"),
        body=gettext_noop("Someone entered a wrong password for your Douyin number too many times, so log-in is "
                          "paused for %(minutes)s minutes. If it was not you, change your password once you are "
                          "back in."),
        params={"minutes": minutes},
    )
