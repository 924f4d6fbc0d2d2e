"""401 for missing or bad credentials (with WWW-Authenticate), 403 only for a known user who may not."""
import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.factories.creators import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_missing_credentials_answer_401_with_www_authenticate(api_client):
    resp = api_client.get("/api/v1/creators/me")
    assert resp.status_code == 401
    assert resp["WWW-Authenticate"] == "Token"
    assert resp.json()["error"]["code"] == "not_authenticated"


def test_a_bad_token_answers_401_with_www_authenticate(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    resp = api_client.get("/api/v1/creators/me")
    assert resp.status_code == 401
    assert resp["WWW-Authenticate"] == "Token"


def test_a_known_user_without_the_right_gets_403(api_client):
    api_client.force_authenticate(UserFactory())
    resp = api_client.get("/api/v1/stats/dashboard")
    assert resp.status_code == 403
    assert "WWW-Authenticate" not in resp


def test_a_valid_token_is_accepted(api_client):
    user = UserFactory()
    token = api_client.post("/api/v1/auth/token", {"handle": user.handle, "password": PASSWORD},
                            format="json")
    assert token.status_code == 200, token.content
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert api_client.get("/api/v1/creators/me").status_code == 200


def test_no_api_operation_answers_403_to_an_anonymous_caller(api_client):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    refused = []
    for path, operations in schema["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method in operations:
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            resp = getattr(api_client, method)(url, {}, format="json")
            if resp.status_code == 403:
                refused.append(f"{method.upper()} {path}")
            if resp.status_code == 401:
                assert resp.has_header("WWW-Authenticate"), f"{method.upper()} {path}"
    assert refused == []
