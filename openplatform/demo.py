"""Demo: one approved agency app (星河MCN) holding grants from a few demo creators. Idempotent (the tokens
are new on each run: only their checksums are stored, so the old ones cannot be printed again).

It prints the app key, the secret and the creators' access tokens: ``tools/open_agency.py`` acts as the app.
"""
import datetime
import secrets

from django.contrib.auth import get_user_model
from django.utils import timezone
from oauth2_provider.models import AccessToken, set_token_value

from .models import OpenApp
from .services import app_approve, app_register

DEVELOPER = "xinghe_mcn"
CREATORS = ("linlin_chuanda", "guoge_jiaxiang", "tangtang_meizhuang")
SCOPES = "showcase.read showcase.write orders.read commission.read data.read"


def seed(out) -> None:
    User = get_user_model()
    developer = User.objects.filter(handle=DEVELOPER).first()
    if developer is None:
        developer = User.objects.create_user(handle=DEVELOPER, nickname="星河MCN机构", password=secrets.token_urlsafe(12))
    app = OpenApp.objects.filter(developer=developer).first()
    if app is None:
        app = app_register(developer=developer, name="星河MCN达人管家", purpose="代旗下达人管理橱窗、查看佣金与数据。",
                           callback_url="https://xinghe-mcn.example/callback", webhook_url="")
        app = app_approve(app=app)
    tokens = []
    for handle in CREATORS:
        creator = User.objects.filter(handle=handle).first()
        if creator is None:
            continue
        # Tokens are stored as checksums only: a fresh one each run (the old ones of this demo app go).
        AccessToken.objects.filter(user=creator, application=app.oauth_application).delete()
        raw = secrets.token_urlsafe(24)
        token = AccessToken(user=creator, application=app.oauth_application, scope=SCOPES,
                            expires=timezone.now() + datetime.timedelta(days=7))
        set_token_value(token, raw)
        token.save()
        tokens.append(raw)
    out.write(f"Open platform: app “{app.name}” key {app.app_key} secret {app.secret}; grants from "
              f"{len(tokens)} creators. Try: python tools/open_agency.py --key={app.app_key} --secret={app.secret} "
              + " ".join(f"--token={t}" for t in tokens))
