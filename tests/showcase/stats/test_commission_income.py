"""Commission income (佣金收入): estimated commission of paid orders for 7/30 days, per day
and channel, with the Taobao Union share called out."""
import pytest
from django.urls import reverse

from showcase.stats.services import sale_refund
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import UserFactory

from .helpers import creator_with_rights, login, sale

pytestmark = pytest.mark.django_db
URL = "/commissions/income/"


@pytest.fixture
def creator():
    return creator_with_rights()


def test_income_url_name_is_stable():
    assert reverse("commissions:income") == URL


def test_totals_for_7_and_30_days(client, creator):
    sale(creator, commission_fen=1000, gmv_fen=10000, days_ago=0)
    sale(creator, commission_fen=250, gmv_fen=2500, days_ago=6)
    sale(creator, commission_fen=4000, gmv_fen=40000, days_ago=20)
    sale(creator, commission_fen=99999, gmv_fen=999990, days_ago=45)
    response = login(client, creator).get(URL)
    assert response.context["estimate"].total_fen == 1250
    assert response.context["totals"] == {7: 1250, 30: 5250}
    body = response.content.decode()
    assert "¥12.50" in body and "¥52.50" in body
    month = client.get(URL, {"days": 30}).context["estimate"]
    assert month.total_fen == 5250 and month.orders == 3 and len(month.daily) == 30


def test_per_channel_and_per_day_rows(client, creator):
    sale(creator, channel="live", commission_fen=300, days_ago=1)
    sale(creator, channel="live", commission_fen=200, days_ago=1)
    sale(creator, channel="comment", commission_fen=50, days_ago=2)
    estimate = login(client, creator).get(URL).context["estimate"]
    channels = {value: (fen, orders) for value, _label, fen, orders in estimate.channels}
    assert channels["live"] == (500, 2) and channels["comment"] == (50, 1) and channels["showcase"] == (0, 0)
    assert [(fen, orders) for _day, fen, orders in estimate.daily[:3]] == [(0, 0), (500, 2), (50, 1)]


def test_refunds_are_taken_out_of_the_estimate(client, creator):
    record = sale(creator, commission_fen=800)
    sale(creator, commission_fen=100)
    sale_refund(order_ref=record.order_ref)
    assert login(client, creator).get(URL).context["estimate"].total_fen == 100


def test_taobao_union_commission_is_shown_as_paid_by_taobao_union(client, creator):
    sale(creator, product=ProductFactory(source="taobao"), commission_fen=700)
    sale(creator, product=ProductFactory(source="jd"), commission_fen=300)
    response = login(client, creator).get(URL)
    estimate = response.context["estimate"]
    assert (estimate.taobao_fen, estimate.platform_fen) == (700, 300)
    assert 'id="taobao-share"' in response.content.decode()


def test_the_page_explains_settlement_and_taobao_in_both_languages(client, creator):
    login(client, creator)
    zh = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "淘宝联盟" in zh and "与抖音无关" in zh
    en = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Taobao Union" in en and "commission ledger" in en


def test_only_the_creator_sees_their_income(client, creator):
    sale(creator, commission_fen=5000)
    other = creator_with_rights()
    assert login(client, other).get(URL).context["estimate"].total_fen == 0


def test_needs_login_and_rights_and_a_known_window(client, creator):
    assert client.get(URL).status_code == 302
    assert login(client, UserFactory()).get(URL).status_code == 403
    response = login(client, creator).get(URL, {"days": 90})
    assert response.status_code == 400 and 'data-error-field="days"' in response.content.decode()
