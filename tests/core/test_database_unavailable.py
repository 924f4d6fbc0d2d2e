"""The database out of reach answers 503 with Retry-After (nothing was written; try again),
never a 500: JSON under /api/ and to the gateways' notify URLs, a plain page that needs no
database elsewhere. Other errors are left to the 500 handler."""
import json

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from core.error_pages import DatabaseUnavailableMiddleware


@pytest.fixture
def middleware():
    return DatabaseUnavailableMiddleware(lambda request: None)


@pytest.mark.parametrize("path", ["/api/v1/orders/", "/pay/notify/sandbox/"])
def test_an_unreachable_database_answers_the_api_and_gateways_503_json(middleware, path):
    response = middleware.process_exception(RequestFactory().post(path), OperationalError("server closed"))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert json.loads(response.content)["error"]["code"] == "unavailable"


def test_an_unreachable_database_answers_a_page_with_a_plain_503_in_both_languages(middleware):
    response = middleware.process_exception(RequestFactory().get("/products/1/"), InterfaceError("closed"))
    assert response.status_code == 503 and response.has_header("Retry-After")
    assert "请稍后再试" in response.content.decode() and "try again" in response.content.decode()


def test_other_errors_are_left_to_the_500_handler(middleware):
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("bug")) is None
