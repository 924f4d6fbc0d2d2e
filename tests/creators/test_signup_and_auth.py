"""Sign-up and log-in, in the browser and through the API."""
import pytest
from django.urls import reverse

from creators.models import User
from notices.models import InboxMessage
from tests.factories.creators import PASSWORD, UserFactory, cover_upload

pytestmark = pytest.mark.django_db


def test_signup_page_creates_the_account_and_logs_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("creators:signup"),
                               {"handle": "xiao_ming", "nickname": "小明", "password": "Qwerty-98765"})
    assert response.status_code == 302 and response.url == reverse("creators:me")
    user = User.objects.get(handle="xiao_ming")
    assert user.nickname == "小明" and user.check_password("Qwerty-98765")
    assert client.get(reverse("creators:me")).status_code == 200
    assert InboxMessage.objects.filter(recipient=user, kind="welcome").count() == 1


def test_duplicate_handle_is_refused_next_to_the_field(client):
    UserFactory(handle="taken")
    response = client.post(reverse("creators:signup"), {"handle": "Taken", "nickname": "x", "password": "Qwerty-98765"})
    assert response.status_code == 200
    assert "该抖音号已被占用" in response.content.decode()
    assert response.context["form"].errors["handle"]


def test_weak_password_and_bad_handle_name_their_fields(client):
    response = client.post(reverse("creators:signup"), {"handle": "a b", "nickname": "x", "password": "Qwerty-98765"})
    assert response.context["form"].errors["handle"]
    response = client.post(reverse("creators:signup"), {"handle": "okname", "nickname": "x", "password": "12345678"})
    assert response.context["form"].errors["password"]


def test_login_and_logout_in_the_browser(client):
    user = UserFactory()
    response = client.post(reverse("creators:login"), {"username": user.handle, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("creators:me")).status_code == 200
    client.post(reverse("creators:logout"))
    assert client.get(reverse("creators:me")).status_code == 302


def test_api_signup_returns_a_token_that_authenticates(api_client):
    response = api_client.post("/api/v1/auth/signup", {"handle": "api_user", "nickname": "接口", "password": "Qwerty-98765"},
                               format="json")
    assert response.status_code == 201
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/creators/me").json()["handle"] == "api_user"


def test_api_duplicate_handle_is_a_4xx_naming_handle(api_client):
    UserFactory(handle="dup")
    response = api_client.post("/api/v1/auth/signup", {"handle": "dup", "nickname": "x", "password": "Qwerty-98765"},
                               format="json")
    assert response.status_code == 409
    assert response.json()["error"]["field"] == "handle"


def test_api_signup_missing_field_names_it(api_client):
    response = api_client.post("/api/v1/auth/signup", {"handle": "x1", "password": "Qwerty-98765"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == "nickname"


def test_reserved_path_words_cannot_be_handles(api_client):
    response = api_client.post("/api/v1/auth/signup", {"handle": "me", "nickname": "x", "password": "Qwerty-98765"},
                               format="json")
    assert response.status_code == 409 and response.json()["error"]["field"] == "handle"


def test_token_endpoint(api_client):
    user = UserFactory()
    ok = api_client.post("/api/v1/auth/token", {"handle": user.handle, "password": PASSWORD}, format="json")
    assert ok.status_code == 200 and len(ok.json()["token"]) == 40
    bad = api_client.post("/api/v1/auth/token", {"handle": user.handle, "password": "nope"}, format="json")
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "invalid_credentials"


def test_profile_edit_via_api_and_page(api, logged_in, user):
    response = api.patch("/api/v1/creators/me", {"nickname": "新昵称", "bio": "你好"}, format="json")
    assert response.status_code == 200 and response.json()["nickname"] == "新昵称"
    response = logged_in.post(reverse("creators:profile_edit"), {"nickname": "", "bio": ""})
    assert response.context["form"].errors["nickname"]
    response = logged_in.post(reverse("creators:profile_edit"), {"nickname": "阿明", "bio": "b", "avatar": cover_upload()})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.nickname == "阿明" and user.avatar.name.startswith("avatars/")


@pytest.mark.parametrize("fmt", ["multipart", "json"])
def test_an_avatar_sent_as_text_is_refused_naming_it_and_changes_nothing(api, user, fmt):
    """An optional file left out changes nothing; sent as text (an empty string included) it is a
    400 naming ``avatar``, in a form as in JSON — not read as "no new file"."""
    before = user.nickname
    response = api.patch("/api/v1/creators/me", {"nickname": "改了", "avatar": ""}, format=fmt)
    assert response.status_code == 400 and response.json()["error"]["field"] == "avatar"
    user.refresh_from_db()
    assert user.nickname == before
    response = api.patch("/api/v1/creators/me", {"nickname": "改了"}, format=fmt)
    assert response.status_code == 200 and response.json()["nickname"] == "改了"
