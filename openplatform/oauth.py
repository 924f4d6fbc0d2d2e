"""The token endpoint's client check, with the secret rotation's grace period.

django-oauth-toolkit knows one (hashed) client secret per application: the newest. An app that
rotated its secret keeps signing gateway calls with the previous one until
``OPEN_SECRET_GRACE_SECONDS`` have passed (``OpenApp.secrets_valid``), and its token exchanges
and refreshes must keep working the same way, or a rotation logs every agency out of its
creators' accounts until each of its servers has the new secret. The toolkit still reads the
credentials (HTTP Basic or the body) and finds the client; only the secret check also takes that
client's previous secret while it is in its grace period.
"""
from __future__ import annotations

from django.utils import timezone
from django.utils.crypto import constant_time_compare
from oauth2_provider.oauth2_validators import OAuth2Validator


class RotationAwareValidator(OAuth2Validator):
    def _check_secret(self, provided_secret, stored_secret):
        if super()._check_secret(provided_secret, stored_secret):
            return True
        from .models import OpenApp

        # ``stored_secret`` is the client's own (salted) hash: it names the app the client is.
        app = (OpenApp.objects.filter(oauth_application__client_secret=stored_secret,
                                      status=OpenApp.Status.APPROVED, old_secret_until__gt=timezone.now())
               .exclude(old_secret="").only("old_secret").first())
        return app is not None and constant_time_compare(provided_secret or "", app.old_secret)
