"""佣金收入 access: the page reads through the commissions selectors, and a user without a
cart right is refused with a page about commission income (not the data dashboard)."""
import pytest
from django.utils import translation

from tests.factories.creators import UserFactory
from tests.showcase.helpers import creator_with_rights, login

pytestmark = pytest.mark.django_db
URL = "/commissions/income/"


def test_user_without_a_right_gets_a_403_about_commission_income(client):
    user = UserFactory()
    with translation.override("en"):
        response = login(client, user).get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Commission income is for creators" in body or "佣金收入仅向" in body
    assert "data dashboard" not in body.lower() and "数据看板" not in body
    assert 'data-error-code="no_right"' in body


def test_a_bad_filter_is_a_400_naming_the_parameter(client):
    response = login(client, creator_with_rights()).get(URL, {"from": "yesterday"})
    assert response.status_code == 400
    assert 'data-error-field="from"' in response.content.decode()


def test_income_view_no_longer_imports_private_stats_helpers():
    import commissions.views as views

    assert not hasattr(views, "_flush_if_local") and not hasattr(views, "dashboard_access")
