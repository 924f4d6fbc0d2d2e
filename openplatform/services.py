"""Apps: register, approve, rotate the secret."""
import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import get_application_model

from .models import OpenApp, new_secret


def app_register(*, developer, name: str, purpose: str, callback_url: str, webhook_url: str = "") -> OpenApp:
    return OpenApp.objects.create(developer=developer, name=name, purpose=purpose, callback_url=callback_url,
                                  webhook_url=webhook_url)


@transaction.atomic
def app_approve(*, app: OpenApp) -> OpenApp:
    """Approve: the app becomes an OAuth client (authorization code + PKCE, public key = app_key)."""
    app = OpenApp.objects.select_for_update().get(pk=app.pk)
    Application = get_application_model()
    if app.oauth_application_id is None:
        app.oauth_application = Application.objects.create(
            name=app.name[:255], user=app.developer, client_id=app.app_key,
            client_type=Application.CLIENT_CONFIDENTIAL, client_secret=app.secret,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE, redirect_uris=app.callback_url,
            skip_authorization=False, algorithm="")
    app.status = OpenApp.Status.APPROVED
    app.save(update_fields=["status", "oauth_application"])
    return app


@transaction.atomic
def app_rotate_secret(*, app: OpenApp) -> str:
    """A new secret; the old one stays valid for OPEN_SECRET_GRACE_SECONDS. Returns the new secret (shown once)."""
    app = OpenApp.objects.select_for_update().get(pk=app.pk)
    app.old_secret = app.secret
    app.old_secret_until = timezone.now() + datetime.timedelta(seconds=settings.OPEN_SECRET_GRACE_SECONDS)
    app.secret = new_secret()
    app.save(update_fields=["secret", "old_secret", "old_secret_until"])
    if app.oauth_application_id:  # the token endpoint takes the new secret (hashed by django-oauth-toolkit)
        application = app.oauth_application
        application.client_secret = app.secret
        application.save(update_fields=["client_secret"])
    return app.secret


@transaction.atomic
def grant_revoke(*, user, app_id: int) -> int:
    """Revoke every token this user gave this app, at once: the gateway refuses the next call."""
    from oauth2_provider.models import get_access_token_model, get_grant_model, get_refresh_token_model

    app = OpenApp.objects.filter(pk=app_id).first()
    if app is None or app.oauth_application_id is None:
        return 0
    n = 0
    for rt in get_refresh_token_model().objects.filter(user=user, application_id=app.oauth_application_id,
                                                       revoked__isnull=True):
        rt.revoke()
        n += 1
    for at in get_access_token_model().objects.filter(user=user, application_id=app.oauth_application_id):
        at.revoke()
        n += 1
    get_grant_model().objects.filter(user=user, application_id=app.oauth_application_id).delete()
    return n
