"""In a real browser: a creator reads the data dashboard (charts, tables, CSV), a visitor
goes from the leaderboard to a creator's showcase, and announcements turn read when opened."""
import datetime

import pytest
from django.db import connections
from django.utils import timezone

from notices.models import Announcement
from showcase.stats.services import event_record, leaderboard_refresh, sale_record, stats_flush
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import PASSWORD
from tests.showcase.stats.helpers import creator_with_rights

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pages(transactional_db, live_server, request):
    connections.close_all()
    page_factory = request.getfixturevalue("page_factory")
    yield page_factory
    connections.close_all()


@pytest.fixture(autouse=True)
def _empty_buffer():
    from showcase.stats.buffer import get_buffer, reset_buffer

    reset_buffer()
    get_buffer().clear()
    yield
    get_buffer().clear()
    reset_buffer()


def _login(page, url, user, next_path):
    page.goto(f"{url}/login/?next={next_path}")
    page.fill("#id_username", user.handle)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}{next_path}")


def _history(creator, product):
    now = timezone.now()
    for days_ago, views in ((0, 7), (3, 11), (20, 40)):
        for _ in range(views):
            event_record(kind="view", channel="video", creator_id=creator.pk,
                         at=now - datetime.timedelta(days=days_ago, minutes=5))
    for _ in range(4):
        event_record(kind="click", channel="showcase", creator_id=creator.pk, product_id=product.pk)
    sale_record(creator_id=creator.pk, channel="showcase", product_id=product.pk, order_ref="B-1", quantity=2,
                gmv_fen=11800, commission_fen=2360, paid_at=now - datetime.timedelta(minutes=3))
    stats_flush()


def test_a_creator_reads_the_dashboard_with_charts_tables_and_csv(pages, live_server):
    creator = creator_with_rights(handle="dash_creator", nickname="看板达人")
    product = ProductFactory(title="纯棉白T恤")
    _history(creator, product)
    page = pages(lang="zh-hans")
    _login(page, live_server.url, creator, "/stats/dashboard/")

    assert page.locator("main svg.chart").count() == 6
    assert page.locator("[data-metric=views] .stats-kpi__value").inner_text() == "18"
    assert page.locator("[data-metric=gmv_fen] .stats-kpi__value").inner_text() == "¥118.00"
    assert page.locator("#chart-views svg circle").count() == 7
    assert page.locator("#channel-table tr[data-channel=video] td").first.inner_text() == "18"
    assert "纯棉白T恤" in page.locator("#product-table").inner_text()

    page.click("text=近30天")
    page.wait_for_url("**days=30**")
    assert page.locator("[data-metric=views] .stats-kpi__value").inner_text() == "58"
    assert page.locator("#chart-views svg circle").count() == 30

    page.click("#by-channel >> text=点击次数")
    page.wait_for_url("**by=clicks**")
    values = page.locator("#by-channel svg .chart__value").all_text_contents()
    assert values == ["4", "0", "0", "0", "0"]  # showcase, video, live, search, comment entry

    with page.expect_download() as download_info:
        page.click("#by-day a[download]")
    raw = open(download_info.value.path(), "rb").read()
    assert raw.startswith("\ufeff".encode()) and "纯棉白T恤".encode() in raw


def test_the_dashboard_reads_in_english(pages, live_server):
    creator = creator_with_rights(handle="dash_english")
    _history(creator, ProductFactory())
    page = pages(lang="en", desktop=True)
    _login(page, live_server.url, creator, "/stats/dashboard/")
    text = page.locator("main").inner_text()
    for phrase in ("Last 7 days", "Views", "Estimated commission", "By channel", "By product", "Comment entry"):
        assert phrase in text
    assert "浏览" not in text


def test_the_leaderboard_leads_to_a_creators_showcase(pages, live_server):
    top = creator_with_rights(handle="top_seller", nickname="销冠小王")
    second = creator_with_rights(handle="second_seller", nickname="亚军小李")
    now = timezone.now()
    sale_record(creator_id=top.pk, channel="live", product_id=None, order_ref="L-1", quantity=1, gmv_fen=99900,
                commission_fen=9990, paid_at=now)
    sale_record(creator_id=second.pk, channel="video", product_id=None, order_ref="L-2", quantity=5,
                gmv_fen=25000, commission_fen=2500, paid_at=now)
    leaderboard_refresh()
    page = pages(lang="zh-hans")
    page.goto(f"{live_server.url}/stats/leaderboard/")
    handles = page.locator("#leaderboard a").evaluate_all("els => els.map(e => e.dataset.handle)")
    assert handles == ["top_seller", "second_seller"]
    page.click("text=按销量")
    handles = page.locator("#leaderboard a").evaluate_all("els => els.map(e => e.dataset.handle)")
    assert handles == ["second_seller", "top_seller"]
    page.click("#leaderboard a[data-handle=top_seller]")
    page.wait_for_url(f"{live_server.url}/@top_seller/showcase/")
    assert "销冠小王" in page.content()


def test_opening_an_announcement_marks_it_read(pages, live_server):
    creator = creator_with_rights(handle="reads_news")
    now = timezone.now()
    Announcement.objects.create(title="Rules update", body="Credit score is live.", pinned=True,
                                published_at=now - datetime.timedelta(hours=2))
    Announcement.objects.create(title="Holiday campaign", body="Sign up now.", kind="activity",
                                published_at=now - datetime.timedelta(hours=1))
    page = pages(lang="en")
    _login(page, live_server.url, creator, "/announcements/")
    assert page.locator("#announcement-unread").inner_text() == "2 unread"
    assert page.locator("#announcements [data-read='0']").count() == 2
    page.click("text=Rules update")
    assert "Credit score is live." in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/announcements/")
    assert page.locator("#announcement-unread").inner_text() == "1 unread"
    assert "Rules update" in page.locator("#announcements [data-read='1']").inner_text()
    assert "Holiday campaign" in page.locator("#announcements [data-read='0']").inner_text()
