"""``POST /open/router``: the signed gateway (issue 14 §3). CSRF-exempt, no session.

Error codes (also in the README and on /open/docs/):
10000 success · 20001 a system field is missing or malformed · 20002 unknown app_key or app not approved ·
20003 bad signature · 20004 timestamp outside the 10-minute window · 20005 replayed request ·
20006 unknown method · 20007 access token invalid, expired or revoked · 20008 scope missing ·
20009 quota exceeded (with Retry-After) · 40001 invalid business parameter (``field`` names it) ·
40002 refused by a rule of the domain (``field`` names the input).
"""
import datetime
import hashlib
import hmac
import json
import time
import zoneinfo

from django.core.cache import cache
from django.http import JsonResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oauth2_provider.models import get_access_token_model

from core.errors import DomainError, InvalidInput

from .methods import REGISTRY, clean_params
from .models import OpenApp
from .signing import sign

GMT8 = zoneinfo.ZoneInfo("Asia/Shanghai")
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
WINDOW_SECONDS = 600

OK = 10000
MISSING_FIELD, BAD_APP, BAD_SIGN, BAD_TIMESTAMP, REPLAY = 20001, 20002, 20003, 20004, 20005
UNKNOWN_METHOD, BAD_TOKEN, NO_SCOPE, OVER_QUOTA = 20006, 20007, 20008, 20009
BAD_PARAM, REFUSED = 40001, 40002

STATUS = {MISSING_FIELD: 400, BAD_APP: 403, BAD_SIGN: 401, BAD_TIMESTAMP: 401, REPLAY: 409, UNKNOWN_METHOD: 404,
          BAD_TOKEN: 401, NO_SCOPE: 403, OVER_QUOTA: 429, BAD_PARAM: 400, REFUSED: 400}


def _fail(code: int, msg, field: str | None = None, *, status: int | None = None, headers=None) -> JsonResponse:
    body = {"code": code, "msg": force_str(msg), "field": field, "data": None}
    response = JsonResponse(body, status=status or STATUS.get(code, 400), json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def parse_timestamp(value: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.strptime(value, TIMESTAMP_FORMAT).replace(tzinfo=GMT8)
    except (TypeError, ValueError):
        return None


def _quota_take(app: OpenApp, method: str) -> int | None:
    """One call of the app's per-minute quota for this method; over → seconds until the next minute."""
    now = time.time()
    minute = int(now // 60)
    key = f"open:quota:{app.pk}:{method}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        used = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=120)
        used = 1
    if used > app.quota:
        return max(1, int((minute + 1) * 60 - now + 0.999))
    return None


@csrf_exempt
@require_POST
def router(request):
    data = request.POST
    fields = {}
    for name in ("app_key", "method", "param_json", "timestamp", "v", "sign", "sign_method", "access_token"):
        value = data.get(name, "")
        if not value:
            return _fail(MISSING_FIELD, _("This field is required."), name)
        fields[name] = value
    if fields["v"] != "2":
        return _fail(MISSING_FIELD, _("v must be 2."), "v")
    if fields["sign_method"] != "hmac-sha256":
        return _fail(MISSING_FIELD, _("sign_method must be hmac-sha256."), "sign_method")

    app = OpenApp.objects.select_related("oauth_application").filter(app_key=fields["app_key"]).first()
    if app is None or app.status != OpenApp.Status.APPROVED or app.oauth_application_id is None:
        return _fail(BAD_APP, _("Unknown app_key, or the app is not approved."), "app_key")

    given = fields["sign"].lower()
    if not any(hmac.compare_digest(sign(secret, fields), given) for secret in app.secrets_valid()):
        return _fail(BAD_SIGN, _("The signature does not match."), "sign")

    moment = parse_timestamp(fields["timestamp"])
    if moment is None:
        return _fail(BAD_TIMESTAMP, _("timestamp must read yyyy-MM-dd HH:mm:ss (GMT+8)."), "timestamp")
    if abs((timezone.now() - moment).total_seconds()) > WINDOW_SECONDS:
        return _fail(BAD_TIMESTAMP, _("timestamp is more than 10 minutes away from now."), "timestamp")

    # Replay: the signature is the nonce, kept for the window (add is atomic on Redis: SET NX).
    if not cache.add(f"open:nonce:{app.pk}:{given}", 1, timeout=WINDOW_SECONDS * 2):
        return _fail(REPLAY, _("This signed request was already received."), "sign")

    method = REGISTRY.get(fields["method"])
    if method is None:
        return _fail(UNKNOWN_METHOD, _("Unknown method."), "method")

    token = (get_access_token_model().objects.select_related("user")
             .filter(token_checksum=hashlib.sha256(fields["access_token"].encode()).hexdigest(),
                     application_id=app.oauth_application_id).first())
    if token is None or token.is_expired() or not token.user.is_active:
        return _fail(BAD_TOKEN, _("The access token is invalid, expired or revoked."), "access_token")
    if not token.allow_scopes([method.scope]):
        return _fail(NO_SCOPE, _("The creator did not grant the scope %(scope)s.") % {"scope": method.scope},
                     "access_token")

    retry = _quota_take(app, method.name)
    if retry is not None:
        return _fail(OVER_QUOTA, _("Quota exceeded for this method; retry later."), "method",
                     headers={"Retry-After": str(retry)})

    try:
        params = clean_params(method, json.loads(fields["param_json"]))
    except json.JSONDecodeError:
        return _fail(BAD_PARAM, _("param_json is not valid JSON."), "param_json")
    except InvalidInput as exc:
        return _fail(BAD_PARAM, exc.message, exc.field)
    try:
        result = method.handler(token.user, params)
    except InvalidInput as exc:
        return _fail(BAD_PARAM, exc.message, exc.field)
    except DomainError as exc:
        return _fail(REFUSED, exc.message, exc.field, status=exc.status_code)
    return JsonResponse({"code": OK, "msg": "success", "data": result}, json_dumps_params={"ensure_ascii": False})
