"""The data dashboard: numbers per day, channel and product for 7/30/90 days, charts,
table, CSV export and API; who may see it."""
import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assets import foreign_asset_urls
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import UserFactory

from .helpers import creator_with_rights, events, events_on, flush, login, sale

pytestmark = pytest.mark.django_db
URL = "/stats/dashboard/"


@pytest.fixture
def creator():
    return creator_with_rights()


def test_dashboard_url_name_is_stable():
    assert reverse("stats:dashboard") == URL


def test_dashboard_shows_recorded_counts_per_channel(client, creator):
    product = ProductFactory(title="纯棉短袖T恤")
    events(creator, kind="view", channel="showcase", n=12)
    events(creator, kind="click", channel="video", n=4, product=product)
    events(creator, kind="view", channel="live", n=3)
    sale(creator, channel="video", product=product, gmv_fen=5900, commission_fen=1180, quantity=1)
    flush()
    body = login(client, creator).get(URL).content.decode()
    board = client.get(URL).context["board"]
    by_channel = {value: counts for value, _label, counts in board.channels}
    assert by_channel["showcase"]["views"] == 12
    assert by_channel["video"]["clicks"] == 4
    assert by_channel["video"]["gmv_fen"] == 5900
    assert by_channel["live"]["views"] == 3
    assert by_channel["search"]["views"] == 0
    assert board.totals["views"] == 15 and board.totals["orders"] == 1
    assert "纯棉短袖T恤" in body
    assert "59.00" in body


def test_dashboard_counts_events_not_yet_flushed_without_redis(client, creator, settings):
    """Without Redis there is no worker: the page flushes this process's buffer first."""
    from showcase.stats.buffer import get_buffer

    if get_buffer().name != "local":
        pytest.skip("only the in-process buffer is flushed on read")
    events(creator, kind="view", channel="search", n=5)
    board = login(client, creator).get(URL).context["board"]
    assert board.totals["views"] == 5


@pytest.mark.parametrize("days", [7, 30, 90])
def test_each_window_counts_only_its_days(client, creator, days):
    today = timezone.localdate()
    events_on(creator, today, n=1)
    events_on(creator, today - datetime.timedelta(days=6), n=10)
    events_on(creator, today - datetime.timedelta(days=29), n=100)
    events_on(creator, today - datetime.timedelta(days=89), n=1000)
    events_on(creator, today - datetime.timedelta(days=90), n=10000)
    flush()
    board = login(client, creator).get(URL, {"days": days}).context["board"]
    expected = {7: 11, 30: 111, 90: 1111}[days]
    assert board.totals["views"] == expected
    assert len(board.daily) == days
    assert board.daily[-1][0] == today and board.daily[-1][1]["views"] == 1


def test_per_product_rows_rank_by_gmv(client, creator):
    cheap, dear = ProductFactory(title="便宜货"), ProductFactory(title="高价货")
    sale(creator, product=cheap, gmv_fen=1000, commission_fen=100)
    sale(creator, product=cheap, gmv_fen=1000, commission_fen=100)
    sale(creator, product=dear, gmv_fen=50000, commission_fen=5000)
    events(creator, kind="click", channel="showcase", product=cheap, n=3)
    flush()
    board = login(client, creator).get(URL).context["board"]
    assert [p.title for p in board.products] == ["高价货", "便宜货"]
    assert board.products[1].counts["orders"] == 2
    assert board.products[1].counts["clicks"] == 3


def test_a_creator_sees_only_their_own_numbers(client, creator):
    other = creator_with_rights()
    events(other, n=50)
    sale(other, gmv_fen=99900, commission_fen=100)
    events(creator, n=2)
    flush()
    board = login(client, creator).get(URL).context["board"]
    assert board.totals["views"] == 2
    assert board.totals["gmv_fen"] == 0


def test_page_draws_an_svg_chart_per_metric_and_the_table(client, creator):
    events(creator, n=3)
    flush()
    body = login(client, creator).get(URL).content.decode()
    for metric in ("views", "clicks", "orders", "gmv_fen", "commission_fen"):
        assert f'id="chart-{metric}"' in body
    assert body.count("<svg") == 6  # five metrics over days + the channel bars
    assert "<polyline" in body and 'id="day-table"' in body and 'id="channel-table"' in body
    assert foreign_asset_urls(body) == []


def test_channel_bars_follow_the_chosen_metric(client, creator):
    events(creator, kind="click", channel="comment", n=9)
    flush()
    response = login(client, creator).get(URL, {"by": "clicks"})
    assert response.context["channel_metric"] == "clicks"
    assert "9</text>" in str(response.context["channel_chart"])


def test_csv_export_has_a_bom_chinese_titles_and_yuan(client, creator):
    product = ProductFactory(title="洛川红富士苹果 5斤装")
    sale(creator, channel="video", product=product, gmv_fen=4990, commission_fen=998, quantity=1)
    events(creator, kind="view", channel="showcase", n=2)
    flush()
    response = login(client, creator).get(URL, {"days": 30, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert len(header) == 11
    assert len(data) == 2
    product_row = next(r for r in data if r[2] == str(product.pk))
    assert product_row[3] == "洛川红富士苹果 5斤装"
    assert product_row[-2:] == ["49.90", "9.98"]
    assert product_row[0] == timezone.localdate().isoformat()


@pytest.mark.parametrize("params,field", [({"days": "14"}, "days"), ({"days": "x"}, "days"),
                                          ({"by": "likes"}, "by"), ({"format": "xlsx"}, "format")])
def test_bad_parameters_are_a_400_naming_the_field(client, creator, params, field):
    response = login(client, creator).get(URL, params)
    assert response.status_code == 400
    assert f'data-error-field="{field}"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_user_without_rights_is_refused_with_the_way_to_apply(client):
    user = UserFactory()
    response = login(client, user).get(URL)
    assert response.status_code == 403
    assert reverse("creators:apply") in response.content.decode()


def test_a_suspended_creator_still_sees_their_numbers(client, creator):
    from creators.services.rights import cart_right_suspend

    cart_right_suspend(user=creator, kind="video", until=timezone.now() + datetime.timedelta(days=3), reason="违规")
    response = login(client, creator).get(URL)
    assert response.status_code == 200
    assert response.context["suspended"]


def test_api_returns_the_same_numbers(api_client, creator):
    product = ProductFactory()
    events(creator, kind="view", channel="search", n=6)
    sale(creator, channel="search", product=product, gmv_fen=2000, commission_fen=300, quantity=2)
    flush()
    api_client.force_authenticate(creator)
    data = api_client.get("/api/v1/stats/dashboard", {"days": 7}).json()
    assert data["days"] == 7 and len(data["daily"]) == 7
    assert data["totals"]["views"] == 6 and data["totals"]["units"] == 2
    search = next(c for c in data["channels"] if c["channel"] == "search")
    assert (search["views"], search["gmv_fen"], search["commission_fen"]) == (6, 2000, 300)
    assert data["products"][0]["product_id"] == product.pk


def test_api_refuses_bad_days_strangers_and_anonymous(api_client, creator):
    assert api_client.get("/api/v1/stats/dashboard").status_code in (401, 403)
    api_client.force_authenticate(creator)
    error = api_client.get("/api/v1/stats/dashboard", {"days": 8}).json()["error"]
    assert error["field"] == "days"
    api_client.force_authenticate(UserFactory())
    response = api_client.get("/api/v1/stats/dashboard")
    assert response.status_code == 403 and response.json()["error"]["code"] == "no_right"
