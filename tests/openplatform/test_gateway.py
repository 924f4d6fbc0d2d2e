"""Issue 14: the signed gateway — signature vectors, the window, replay, scopes, revocation, quotas, grants."""
import base64
import datetime
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from openplatform.gateway import GMT8
from openplatform.models import OpenApp
from openplatform.services import app_approve, app_register, app_rotate_secret
from openplatform.signing import param_json, sign, sign_string
from showcase.models import ShowcaseItem
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import UserFactory
from tests.showcase.helpers import creator_with_rights

ALL_SCOPES = "showcase.read showcase.write orders.read commission.read data.read"


def test_sign_string_and_vector_are_the_documented_ones():
    fields = {"app_key": "ak123", "method": "showcase.items.list", "param_json": '{"page":1,"size":20}',
              "timestamp": "2026-12-03 18:00:00", "v": "2"}
    assert sign_string("s3cret", fields) == ('s3cret' 'app_keyak123' 'methodshowcase.items.list'
                                             'param_json{"page":1,"size":20}' 'timestamp2026-12-03 18:00:00'
                                             'v2' 's3cret')
    assert sign("s3cret", fields) == "d0d13bc34273f4950780f82c2df385b5243580676e0a223bc4b7df031f44e607"


def test_param_json_sorts_keys_without_spaces():
    assert param_json({"size": 20, "page": 1, "text": "好物"}) == '{"page":1,"size":20,"text":"好物"}'


def _now_gmt8(delta_seconds=0):
    return (timezone.now() + datetime.timedelta(seconds=delta_seconds)).astimezone(GMT8).strftime("%Y-%m-%d %H:%M:%S")


_used_timestamps: set[str] = set()


def _fresh_timestamp() -> str:
    """A timestamp inside the window that no earlier call used: two calls with the same method and
    parameters must differ, or the second is (rightly) refused as a replay."""
    for back in range(300):
        stamp = _now_gmt8(-back)
        if stamp not in _used_timestamps:
            _used_timestamps.add(stamp)
            return stamp
    raise AssertionError("more than 300 calls in five minutes")


def call(client, app, token, method, params=None, *, secret=None, timestamp=None, tamper=None):
    fields = {"app_key": app.app_key, "method": method, "param_json": param_json(params or {}),
              "timestamp": timestamp or _fresh_timestamp(), "v": "2"}
    fields["sign"] = sign(secret or app.secret, fields)
    fields.update(sign_method="hmac-sha256", access_token=token)
    fields.update(tamper or {})
    return client.post("/open/router", fields)


@pytest.fixture
def app(db):
    developer = UserFactory()
    app = app_register(developer=developer, name="星河MCN助手", purpose="管理旗下达人橱窗",
                       callback_url="https://agency.example/cb", webhook_url="https://agency.example/hook")
    return app_approve(app=app)


@pytest.fixture
def creator(db):
    return creator_with_rights(nickname="琳琳穿搭")


def grant(app, user, scope=ALL_SCOPES):
    return AccessToken.objects.create(user=user, application=app.oauth_application, token=secrets.token_urlsafe(24),
                                      expires=timezone.now() + datetime.timedelta(days=7), scope=scope).token


def test_a_signed_call_adds_and_lists_the_granting_creators_showcase(client, app, creator):
    token = grant(app, creator)
    product = ProductFactory()
    r = call(client, app, token, "showcase.item.add", {"product_id": product.pk})
    assert r.status_code == 200, r.content
    assert r.json()["code"] == 10000 and r.json()["data"]["product_id"] == product.pk
    body = call(client, app, token, "showcase.items.list", {"page": 1}).json()
    assert body["code"] == 10000 and body["data"]["total"] == 1
    assert ShowcaseItem.objects.filter(showcase__owner=creator, product=product).exists()


def test_a_wrong_signature_is_refused(client, app, creator):
    token = grant(app, creator)
    r = call(client, app, token, "showcase.items.list", secret="not-the-secret")
    assert r.status_code == 401 and r.json()["code"] == 20003 and r.json()["field"] == "sign"
    # a changed parameter after signing breaks the signature too
    r = call(client, app, token, "showcase.items.list", {"page": 1}, tamper={"param_json": '{"page":2}'})
    assert r.json()["code"] == 20003


def test_the_timestamp_must_be_within_ten_minutes(client, app, creator):
    token = grant(app, creator)
    assert call(client, app, token, "showcase.items.list", timestamp=_now_gmt8(-11 * 60)).json()["code"] == 20004
    assert call(client, app, token, "showcase.items.list", timestamp=_now_gmt8(11 * 60)).json()["code"] == 20004
    assert call(client, app, token, "showcase.items.list", timestamp="2026/12/03 18:00").json()["code"] == 20004
    assert call(client, app, token, "showcase.items.list", timestamp=_now_gmt8(-9 * 60)).json()["code"] == 10000


def test_a_replayed_signed_request_is_refused(client, app, creator):
    token = grant(app, creator)
    ts = _now_gmt8()
    assert call(client, app, token, "showcase.items.list", timestamp=ts).json()["code"] == 10000
    r = call(client, app, token, "showcase.items.list", timestamp=ts)
    assert r.status_code == 409 and r.json()["code"] == 20005


def test_a_method_outside_the_granted_scopes_is_refused(client, app, creator):
    token = grant(app, creator, scope="showcase.read")
    assert call(client, app, token, "showcase.items.list").json()["code"] == 10000
    r = call(client, app, token, "commission.summary")
    assert r.status_code == 403 and r.json()["code"] == 20008
    r = call(client, app, token, "showcase.item.add", {"product_id": ProductFactory().pk})
    assert r.json()["code"] == 20008
    assert not ShowcaseItem.objects.exists()


def test_a_revoked_grant_is_refused_at_once(client, app, creator):
    token = grant(app, creator)
    assert call(client, app, token, "commission.summary").json()["code"] == 10000
    AccessToken.objects.get(token=token).revoke()
    r = call(client, app, token, "commission.summary")
    assert r.status_code == 401 and r.json()["code"] == 20007


def test_an_app_never_reads_a_creator_who_granted_another_app(client, app, creator):
    other = app_approve(app=app_register(developer=UserFactory(), name="别家工具", purpose="x",
                                         callback_url="https://other.example/cb"))
    token_for_other = grant(other, creator)
    r = call(client, app, token_for_other, "commission.summary")
    assert r.json()["code"] == 20007
    r = call(client, app, "made-up-token", "showcase.items.list")
    assert r.json()["code"] == 20007


def test_an_app_not_approved_is_refused(client, creator):
    pending = app_register(developer=UserFactory(), name="待审", purpose="x", callback_url="https://p.example/cb")
    r = call(client, pending, "t", "showcase.items.list")
    assert r.status_code == 403 and r.json()["code"] == 20002


def test_unknown_method_and_invalid_parameters_name_the_field(client, app, creator):
    token = grant(app, creator)
    assert call(client, app, token, "showcase.everything.delete").json()["code"] == 20006
    r = call(client, app, token, "showcase.item.remove", {"item_id": "abc"}).json()
    assert r["code"] == 40001 and r["field"] == "item_id"
    r = call(client, app, token, "showcase.item.remove", {}).json()
    assert r["code"] == 40001 and r["field"] == "item_id"
    r = call(client, app, token, "showcase.items.list", {"colour": 1}).json()
    assert r["code"] == 40001 and r["field"] == "colour"
    r = call(client, app, token, "commission.lines.list", {"from": "yesterday"}).json()
    assert r["code"] == 40001 and r["field"] == "from"
    r = client.post("/open/router", {"app_key": app.app_key})
    assert r.status_code == 400 and r.json()["code"] == 20001 and r.json()["field"] == "method"


def test_a_domain_refusal_names_the_field(client, app, creator):
    token = grant(app, creator)
    r = call(client, app, token, "showcase.item.remove", {"item_id": 999999}).json()
    assert r["code"] == 40002 and r["field"] == "item_id"


def test_quota_per_app_per_method_per_minute_answers_retry_after(client, app, creator):
    OpenApp.objects.filter(pk=app.pk).update(quota_per_minute=2)
    app.refresh_from_db()
    token = grant(app, creator)
    assert call(client, app, token, "showcase.items.list").json()["code"] == 10000
    assert call(client, app, token, "showcase.items.list").json()["code"] == 10000
    r = call(client, app, token, "showcase.items.list")
    assert r.status_code == 429 and r.json()["code"] == 20009
    assert 1 <= int(r["Retry-After"]) <= 60
    assert call(client, app, token, "commission.summary").json()["code"] == 10000  # another method: its own quota


def test_a_rotated_secret_keeps_the_old_one_valid_for_the_grace_period(client, app, creator, settings):
    token = grant(app, creator)
    old = app.secret
    new = app_rotate_secret(app=app)
    app.refresh_from_db()
    assert call(client, app, token, "showcase.items.list", secret=new).json()["code"] == 10000
    assert call(client, app, token, "showcase.items.list", secret=old).json()["code"] == 10000
    OpenApp.objects.filter(pk=app.pk).update(old_secret_until=timezone.now() - datetime.timedelta(seconds=1))
    app.refresh_from_db()
    assert call(client, app, token, "showcase.items.list", secret=old).json()["code"] == 20003
    app.oauth_application.refresh_from_db()
    assert app.oauth_application.client_secret != new and app.oauth_application.client_secret.count("$") >= 2
    from django.contrib.auth.hashers import check_password
    assert check_password(new, app.oauth_application.client_secret)


def test_pkce_consent_through_the_real_oauth_views_then_a_signed_call(client, app, creator):
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    client.force_login(creator)
    query = {"response_type": "code", "client_id": app.app_key, "redirect_uri": app.callback_url,
             "scope": "showcase.read showcase.write commission.read", "code_challenge": challenge,
             "code_challenge_method": "S256", "state": "xyz"}
    page = client.get("/oauth/authorize/", query)
    assert page.status_code == 200
    r = client.post("/oauth/authorize/", {**query, "allow": "Authorize"})
    assert r.status_code == 302, r.content
    code = parse_qs(urlparse(r["Location"]).query)["code"][0]
    client.logout()
    r = client.post("/oauth/token/", {"grant_type": "authorization_code", "code": code,
                                      "redirect_uri": app.callback_url, "client_id": app.app_key,
                                      "client_secret": app.secret, "code_verifier": verifier})
    assert r.status_code == 200, r.content
    tokens = json.loads(r.content)
    assert tokens["expires_in"] == 7 * 24 * 3600 and tokens["refresh_token"]
    product = ProductFactory()
    body = call(client, app, tokens["access_token"], "showcase.item.add", {"product_id": product.pk}).json()
    assert body["code"] == 10000
    assert call(client, app, tokens["access_token"], "commission.summary").json()["data"]["lines"] == 0


def test_the_authorizations_page_lists_the_app_and_revoke_works_at_once(client, app, creator):
    token = grant(app, creator)
    client.force_login(creator)
    page = client.get("/me/authorizations/")
    assert page.status_code == 200 and app.name in page.content.decode()
    assert "/me/authorizations/" in client.get("/me/").content.decode()
    r = client.post("/me/authorizations/", {"app": app.pk})
    assert r.status_code == 302
    assert app.name not in client.get("/me/authorizations/").content.decode()
    assert call(client, app, token, "showcase.items.list").json()["code"] == 20007
    assert client.post("/me/authorizations/", {"app": "x"}).status_code == 400


def test_a_developer_registers_an_app_and_sees_the_secret_once(client, db):
    dev = UserFactory()
    client.force_login(dev)
    r = client.post("/open/apps/", {"name": "数据小助手", "purpose": "读取销售数据",
                                    "callback_url": "https://tool.example/cb", "webhook_url": ""})
    assert r.status_code == 302
    app = OpenApp.objects.get(developer=dev)
    assert app.status == OpenApp.Status.PENDING
    first = client.get("/open/apps/").content.decode()
    assert app.app_key in first and app.secret in first
    again = client.get("/open/apps/").content.decode()
    assert app.app_key in again and app.secret not in again
    r = client.post("/open/apps/", {"name": "", "purpose": "x", "callback_url": "not a url"})
    assert r.status_code == 200 and OpenApp.objects.count() == 1
    r = client.post("/open/apps/", {"name": "明文回调", "purpose": "x", "callback_url": "http://tool.example/cb"})
    assert r.status_code == 200 and "https://" in r.content.decode() and OpenApp.objects.count() == 1


def test_the_docs_page_lists_every_method_from_the_registry(client, db):
    from openplatform.methods import REGISTRY
    html = client.get("/open/docs/").content.decode()
    for name, method in REGISTRY.items():
        assert name in html and method.scope in html


def test_video_cart_dashboard_and_orders_methods_act_for_the_granting_creator(client, app, creator):
    from showcase.models import VideoProduct
    from tests.factories.creators import VideoFactory
    token = grant(app, creator)
    video = VideoFactory(owner=creator, title="小个子显高穿搭公式")
    product = ProductFactory()
    body = call(client, app, token, "video.cart.set", {"video_id": video.pk, "product_id": product.pk}).json()
    assert body["code"] == 10000, body
    assert VideoProduct.objects.filter(video=video, product=product).exists()
    someone_elses = VideoFactory(owner=creator_with_rights(nickname="果哥"))
    body = call(client, app, token, "video.cart.set", {"video_id": someone_elses.pk, "product_id": product.pk}).json()
    assert body["code"] == 40002 and not VideoProduct.objects.filter(video=someone_elses).exists()
    body = call(client, app, token, "data.dashboard", {"days": 30}).json()
    assert body["code"] == 10000 and len(body["data"]["daily"]) == 30
    assert call(client, app, token, "data.dashboard", {"days": 8}).json()["field"] == "days"
    body = call(client, app, token, "data.dashboard", {"start_date": "2026-11-01", "end_date": "2026-11-10"}).json()
    assert body["code"] == 10000 and (body["data"]["start"], body["data"]["end"]) == ("2026-11-01", "2026-11-10")
    assert len(body["data"]["daily"]) == 10
    for bad, field in (({"start_date": "2026-11-10", "end_date": "2026-11-01"}, "start_date"),
                       ({"start_date": "2026/11/01", "end_date": "2026-11-10"}, "start_date"),
                       ({"start_date": "2026-11-01"}, "end_date"),
                       ({"start_date": "2024-01-01", "end_date": "2026-11-10"}, "start_date"),
                       ({"start_date": "2026-11-01", "end_date": "2999-01-01"}, "end_date")):
        assert call(client, app, token, "data.dashboard", bad).json()["field"] == field, bad
    body = call(client, app, token, "orders.list", {}).json()
    assert body["code"] == 10000 and body["data"] == {"total": 0, "page": 1, "orders": []}


@pytest.mark.parametrize("lang,words", [("zh-hans", "授权"), ("en", "Agree and authorize")])
def test_the_consent_page_is_ours_in_both_languages(client, app, creator, lang, words):
    client.force_login(creator)
    client.cookies["django_language"] = lang
    page = client.get("/oauth/authorize/", {"response_type": "code", "client_id": app.app_key,
                                            "redirect_uri": app.callback_url, "scope": "showcase.read commission.read",
                                            "code_challenge": "x" * 43, "code_challenge_method": "S256"},
                      HTTP_ACCEPT_LANGUAGE=lang)
    html = page.content.decode()
    assert page.status_code == 200 and 'id="consent-allow"' in html and words in html
    assert 'data-scope="commission.read"' in html and app.name in html


def _code(client, app, creator) -> tuple[str, str]:
    """A fresh authorization code (PKCE) the creator granted ``app``, and its verifier."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    client.force_login(creator)
    query = {"response_type": "code", "client_id": app.app_key, "redirect_uri": app.callback_url,
             "scope": "showcase.read", "code_challenge": challenge, "code_challenge_method": "S256", "state": "s"}
    r = client.post("/oauth/authorize/", {**query, "allow": "Authorize"})
    assert r.status_code == 302, r.content
    client.logout()
    return parse_qs(urlparse(r["Location"]).query)["code"][0], verifier


def _basic(client_id: str, secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def test_the_token_endpoint_takes_the_previous_secret_only_during_the_rotation_grace_period(client, app, creator):
    """Mutation tried: without ``OAUTH2_VALIDATOR_CLASS`` (django-oauth-toolkit's own check, the
    newest secret only) the exchange with the old secret is refused 401 and this test fails."""
    old = app.secret
    new = app_rotate_secret(app=app)
    code, verifier = _code(client, app, creator)
    body = {"grant_type": "authorization_code", "code": code, "redirect_uri": app.callback_url,
            "code_verifier": verifier}
    r = client.post("/oauth/token/", {**body, "client_id": app.app_key, "client_secret": old})
    assert r.status_code == 200, r.content  # the agency's servers still hold the old secret: it works
    refresh = json.loads(r.content)["refresh_token"]
    r = client.post("/oauth/token/", {"grant_type": "refresh_token", "refresh_token": refresh},
                    **_basic(app.app_key, old))
    assert r.status_code == 200, r.content  # and in HTTP Basic, for a refresh
    refresh = json.loads(r.content)["refresh_token"]
    # Another approved app's previous secret opens nothing of this app's.
    other = app_approve(app=app_register(developer=UserFactory(), name="另一个", purpose="x",
                                         callback_url="https://other.example/cb"))
    other_old = other.secret
    app_rotate_secret(app=other)
    r = client.post("/oauth/token/", {"grant_type": "refresh_token", "refresh_token": refresh},
                    **_basic(app.app_key, other_old))
    assert r.status_code == 401
    # The grace period is over: the old secret is refused, the new one works.
    OpenApp.objects.filter(pk=app.pk).update(old_secret_until=timezone.now() - datetime.timedelta(seconds=1))
    r = client.post("/oauth/token/", {"grant_type": "refresh_token", "refresh_token": refresh},
                    **_basic(app.app_key, old))
    assert r.status_code == 401 and json.loads(r.content)["error"] == "invalid_client"
    r = client.post("/oauth/token/", {"grant_type": "refresh_token", "refresh_token": refresh},
                    **_basic(app.app_key, new))
    assert r.status_code == 200, r.content
