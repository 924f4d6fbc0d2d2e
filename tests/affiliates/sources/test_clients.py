"""Every outside client against its sandbox twin: the same interface, the same promises."""
import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from affiliates.sandbox import catalog
from affiliates.sandbox.models import SandboxOrder
from affiliates.sandbox.services import (
    sandbox_order_create,
    sandbox_order_finish,
    sandbox_order_pay,
    sandbox_order_refund,
    sandbox_order_settle,
)
from affiliates.sandbox.twins import twin
from affiliates.sources import get_client
from affiliates.sources.base import BadSignature, NotFound, OrderStatus, RateLimited
from affiliates.sources.http import get_session

SOURCES = ["taobao", "jd", "kaola", "vip", "suning"]
NON_TAOBAO = ["jd", "kaola", "vip", "suning"]


def promotable(source, skip=0):
    found = (catalog.item(source, i) for i in range(catalog.size()))
    return [it for it in found if it.in_union and it.available][skip]


def read_window(client, start, end, page_size=None):
    """Read a window the way a sync must: follow has_more, stop at an empty page."""
    rows, page, cursor = [], 1, None
    while True:
        got = client.order_reports(start=start, end=end, page=page, page_size=page_size, cursor=cursor)
        rows += got.rows
        if not got.rows or not got.has_more:
            return rows
        page, cursor = page + 1, got.cursor


def window_now():
    now = timezone.now()
    return now - timedelta(minutes=30), now + timedelta(minutes=5)


@pytest.mark.parametrize("source", NON_TAOBAO)
def test_detail_matches_the_catalog_exactly(sandbox, source):
    item = promotable(source)
    product = get_client(source).product_detail(item.external_id)
    assert (product.external_id, product.title, product.price_fen, product.original_price_fen) == (
        item.external_id, item.title, item.price_fen, item.original_price_fen)
    assert product.commission_rate_bp == item.commission_rate_bp
    assert product.category == item.category.leaf and product.shop.name == item.shop.name
    assert len(product.image_urls) == item.image_count


@pytest.mark.parametrize("source", NON_TAOBAO)
def test_unknown_item_is_not_found_and_left_out_of_batches(sandbox, source):
    client = get_client(source)
    item = promotable(source)
    unknown = catalog.external_id(source, catalog.size())  # one past the end
    with pytest.raises(NotFound):
        client.product_detail(unknown)
    assert [p.external_id for p in client.products_detail([unknown, item.external_id])] == [item.external_id]


def test_jd_carries_its_shop_scores_and_grades(sandbox):
    item = promotable("jd")
    shop = get_client("jd").product_detail(item.external_id).shop
    assert (shop.dsr_description, shop.dsr_service, shop.dsr_logistics) == item.shop.jd_scores
    assert shop.shop_score == item.shop.jd_level
    assert {shop.description_grade, shop.service_grade, shop.logistics_grade} <= {"high", "medium", "low"}


@pytest.mark.parametrize("source", ["jd"])
def test_short_link_resolves_through_the_gateway(sandbox, source):
    item = promotable(source)
    client = get_client(source)
    code = twin(source).short_link_for(item.external_id)
    assert client.resolve(client.match_paste(f"https://u.jd.com/{code}")).external_id == item.external_id


def test_unknown_short_link_is_not_found(sandbox):
    client = get_client("jd")
    with pytest.raises(NotFound):
        client.resolve(client.match_paste("https://u.jd.com/Zz9Zz9Z"))


@pytest.mark.parametrize("source", SOURCES)
def test_no_keyword_search_is_the_hot_seller_list(sandbox, source):
    page = get_client(source).search(page_size=8)
    hot = [catalog.item(source, i).external_id for i in catalog.search(source)[:8]]
    assert [p.external_id for p in page.items] == hot
    assert page.has_more and page.total == len(catalog.search(source))


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("sort, key, reverse", [("price_asc", "price_fen", False), ("price_desc", "price_fen", True),
                                                ("commission", "commission_rate_bp", True),
                                                ("sales", "sales_volume", True)])
def test_keyword_search_matches_titles_and_sorts(sandbox, source, sort, key, reverse):
    client = get_client(source)
    pages = [client.search(keyword="精华", page=n, page_size=4, sort=sort) for n in (1, 2)]
    items = pages[0].items + pages[1].items
    assert len(items) == 8 and all("精华" in p.title for p in items)
    values = [getattr(p, key) for p in items]
    assert values == sorted(values, reverse=reverse)
    assert len({p.external_id for p in items}) == 8


@pytest.mark.parametrize("source", SOURCES)
def test_a_purchase_through_the_promotion_link_reports_our_click_id(sandbox, source):
    """End to end: link → (short link page →) landing page → buy → order report row."""
    client = get_client(source)
    item = promotable(source)
    link = client.promotion_link(external_id=item.external_id, click_id="clk-e2e-1")
    landing = get_session().get(link.url)
    if "http-equiv=\"refresh\"" in landing.text:  # a short link page, like u.jd.com
        target = unescape(re.search(r'content="0;url=([^"]+)"', landing.text).group(1))
        landing = get_session().get(target)
    click_id = re.search(r'name="click_id" value="([^"]*)"', landing.text).group(1)
    assert click_id == "clk-e2e-1"
    buy = urlsplit(landing.url).path + "/buy"
    assert get_session().post(f"http://testserver{buy}", data={"click_id": click_id, "quantity": "2"},
                              allow_redirects=False).status_code == 302
    [row] = read_window(client, *window_now())
    order = SandboxOrder.objects.get()
    assert (row.click_id, row.order_id, row.product_external_id) == ("clk-e2e-1", order.order_id, item.external_id)
    assert (row.quantity, row.paid_amount_fen) == (2, item.price_fen * 2)
    assert row.estimated_commission_fen == order.estimated_commission_fen


@pytest.mark.parametrize("source", NON_TAOBAO)
@pytest.mark.parametrize("steps, expected", [
    ((), OrderStatus.PAID),
    ((sandbox_order_finish,), OrderStatus.CONFIRMED),
    ((sandbox_order_finish, sandbox_order_settle), OrderStatus.SETTLED),
    ((sandbox_order_refund,), OrderStatus.INVALID),
])
def test_each_source_status_maps_onto_order_status(sandbox, source, steps, expected):
    order = sandbox_order_create(source=source, external_id=promotable(source).external_id, click_id="c")
    for step in steps:
        order = step(order=order)
    [row] = read_window(get_client(source), *window_now())
    assert row.status == expected
    assert row.settled_commission_fen == (order.estimated_commission_fen if expected == OrderStatus.SETTLED else 0)


@pytest.mark.parametrize("source", NON_TAOBAO)
def test_unpaid_then_paid_is_reported_as_each(sandbox, source):
    client = get_client(source)
    order = sandbox_order_create(source=source, external_id=promotable(source).external_id, status="unpaid")
    assert [r.status for r in read_window(client, *window_now())] == [OrderStatus.UNPAID]
    sandbox_order_pay(order=order)
    assert [r.status for r in read_window(client, *window_now())] == [OrderStatus.PAID]


@pytest.mark.parametrize("source", SOURCES)
def test_order_window_past_the_maximum_is_refused(sandbox, source):
    client = get_client(source)
    now = timezone.now()
    with pytest.raises(ValueError):
        client.order_reports(start=now - client.max_order_window - timedelta(seconds=1), end=now)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("fault", [{}, {"truncate_pages": True}, {"has_more_lies": True},
                                   {"truncate_pages": True, "has_more_lies": True}])
def test_paging_reads_every_row_once_despite_short_pages_and_lying_has_more(sandbox, settings, source, fault):
    start = timezone.now() - timedelta(minutes=20)
    made = {sandbox_order_create(source=source, external_id=promotable(source, n % 3).external_id,
                                 at=start + timedelta(seconds=n)).order_id for n in range(7)}
    settings.SANDBOX_FAULTS = {source: fault}
    rows = read_window(get_client(source), start, start + timedelta(minutes=10), page_size=3)
    assert sorted(r.order_id for r in rows) == sorted(made)


@pytest.mark.parametrize("source", SOURCES)
def test_rate_limit_answer_in_the_source_format_is_retried(sandbox, settings, no_sleep, source):
    settings.SANDBOX_FAULTS = {source: {"rate_limit_every": 2}}
    client = get_client(source)
    assert client.search(page_size=2).items  # call 1
    assert client.search(page_size=2).items  # call 2 limited, call 3 ok
    assert len(no_sleep) == 1


@pytest.mark.parametrize("source", SOURCES)
def test_rate_limit_answer_in_the_source_format_maps_to_rate_limited(sandbox, settings, no_sleep, source):
    settings.SANDBOX_FAULTS = {source: {"rate_limit_every": 1}}
    with pytest.raises(RateLimited):
        get_client(source).search(page_size=2)


@pytest.mark.parametrize("source", SOURCES)
def test_transient_5xx_is_retried_for_every_source(sandbox, settings, no_sleep, source):
    settings.SANDBOX_FAULTS = {source: {"error_5xx_every": 2}}
    client = get_client(source)
    client.search(page_size=2)
    assert client.search(page_size=2).items and len(no_sleep) == 1


@pytest.mark.parametrize("source", SOURCES)
def test_wrong_secret_is_a_bad_signature_for_every_source(sandbox, settings, caplog, source):
    settings.SOURCES[source]["app_secret"] = "definitely-wrong-secret-9876"
    with pytest.raises(BadSignature) as refused:
        get_client(source).search(page_size=2)
    assert "definitely-wrong-secret-9876" not in str(refused.value) + caplog.text


@pytest.mark.parametrize("source", SOURCES)
def test_order_rows_are_unique_per_order_and_line(sandbox, source):
    first = sandbox_order_create(source=source, external_id=promotable(source).external_id)
    sandbox_order_create(source=source, external_id=promotable(source, 1).external_id, order_id=first.order_id)
    rows = read_window(get_client(source), *window_now())
    assert len(rows) == 2 and len({(r.order_id, r.line_id) for r in rows}) == 2
    assert {r.order_id for r in rows} == {first.order_id}


def test_landing_url_query_carries_the_sources_sub_id_field(sandbox):
    link = get_client("jd").promotion_link(external_id=promotable("jd").external_id, click_id="abc")
    page = get_session().get(link.url)
    target = unescape(re.search(r'content="0;url=([^"]+)"', page.text).group(1))
    assert parse_qs(urlsplit(target).query) == {"subUnionId": ["abc"]}
