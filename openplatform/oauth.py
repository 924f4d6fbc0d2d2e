"""The token endpoint's client check, with the secret rotation's grace period.

django-oauth-toolkit knows one (hashed) client secret per application: the newest. An app that
rotated its secret keeps signing gateway calls with the previous one until
``OPEN_SECRET_GRACE_SECONDS`` have passed (``OpenApp.secrets_valid``), and its token exchanges
and refreshes must keep working the same way, or a rotation logs every agency out of its
creators' accounts until each of its servers has the new secret. The previous secret is accepted
here, in HTTP Basic or in the body, only while it is in its grace period, and only for its app.
"""
from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote_plus

from django.utils import timezone
from django.utils.crypto import constant_time_compare
from oauth2_provider.oauth2_validators import OAuth2Validator


def _provided_credentials(validator: OAuth2Validator, request) -> tuple[str, str] | None:
    """(client_id, client_secret) as the client sent them: HTTP Basic first, then the body."""
    value = validator._extract_basic_auth(request)
    if value:
        try:
            client_id, sep, secret = base64.b64decode(value).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
        return (unquote_plus(client_id), unquote_plus(secret)) if sep else None
    client_id, secret = getattr(request, "client_id", None), getattr(request, "client_secret", None)
    return (client_id, secret) if client_id and secret else None


class RotationAwareValidator(OAuth2Validator):
    def authenticate_client(self, request, *args, **kwargs):
        if super().authenticate_client(request, *args, **kwargs):
            return True
        return self._previous_secret_ok(request)

    def _previous_secret_ok(self, request) -> bool:
        from .models import OpenApp

        provided = _provided_credentials(self, request)
        if provided is None:
            return False
        client_id, secret = provided
        app = (OpenApp.objects.filter(app_key=client_id, status=OpenApp.Status.APPROVED,
                                      oauth_application__isnull=False, old_secret_until__gt=timezone.now())
               .exclude(old_secret="").select_related("oauth_application").first())
        if app is None or not constant_time_compare(secret, app.old_secret):
            return False
        request.client = app.oauth_application
        request.client_id = client_id
        return True
