"""NUL and other control characters in any input answer 400 naming the field, never 500."""
import pytest
from django.urls import reverse

from tests.factories.creators import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper_api(api_client):
    api_client.force_authenticate(UserFactory())
    return api_client


def test_nul_in_the_inbox_sender_filter_answers_400_naming_it(shopper_api):
    resp = shopper_api.get("/api/v1/inbox/messages?sender=a%00b")
    assert resp.status_code == 400
    assert resp.json()["error"]["field"] == "sender"
    assert resp.json()["error"]["code"] == "control_character"


def test_nul_in_the_products_category_filter_answers_400_naming_it(api_client):
    resp = api_client.get("/api/v1/products/?category=a%00b")
    assert resp.status_code == 400
    assert resp.json()["error"] == {"code": "control_character", "message": resp.json()["error"]["message"],
                                    "field": "category"}


def test_nul_in_a_json_string_answers_400_naming_the_nested_field(shopper_api):
    resp = shopper_api.patch("/api/v1/creators/me", {"nickname": "a\u0000b"}, format="json")
    assert resp.status_code == 400
    assert resp.json()["error"]["field"] == "nickname"
    resp = shopper_api.post("/api/v1/auth/signup", {"handle": "ok_name", "nickname": "n",
                                                   "password": "pw", "extra": [{"x": "\u0007"}]}, format="json")
    assert resp.status_code == 400
    assert resp.json()["error"]["field"] == "extra.0.x"


def test_nul_in_a_form_post_answers_a_plain_400_page_naming_the_field(client):
    user = UserFactory()
    client.login(handle=user.handle, password=PASSWORD)
    resp = client.post(reverse("creators:signup"), {"handle": "new\x00one", "nickname": "n", "password": "x"})
    assert resp.status_code == 400
    assert resp["Content-Type"].startswith("text/html")
    assert "handle" in resp.content.decode()


def test_nul_in_a_page_query_answers_400_not_500(client):
    resp = client.get("/?q=%00")
    assert resp.status_code == 400


def test_tabs_and_newlines_in_free_text_are_still_accepted(shopper_api):
    resp = shopper_api.patch("/api/v1/creators/me", {"bio": "line one\n\tline two\r\n"}, format="json")
    assert resp.status_code == 200
