"""The Taobao client against the TOP sandbox: resolve, detail, search, links, order reports."""
from datetime import timedelta

import pytest
from django.utils import timezone

from affiliates.sandbox import catalog
from affiliates.sandbox.services import (
    sandbox_order_create,
    sandbox_order_finish,
    sandbox_order_refund,
    sandbox_order_settle,
)
from affiliates.sandbox.twins.taobao import short_link_for
from affiliates.sources import get_client
from affiliates.sources.base import NotFound, NotPromotable, OrderStatus, PasteMatch


def _first(source, predicate):
    return next(catalog.item(source, i) for i in range(catalog.size()) if predicate(catalog.item(source, i)))


@pytest.fixture
def taobao(sandbox):
    return get_client("taobao")


def test_token_in_share_text_resolves_to_the_catalog_item(taobao):
    item = _first("taobao", lambda it: it.in_union)
    text = f"【淘宝】限时特惠 ￥{catalog.token_for('taobao', item.index)}￥ https://m.tb.cn/h.abc 「{item.title}」"
    product = taobao.resolve(taobao.match_paste(text))
    assert (product.external_id, product.title, product.price_fen) == (item.external_id, item.title, item.price_fen)


def test_item_url_resolves_with_shop_dsr_industry_averages_and_credit_level(taobao):
    item = _first("taobao", lambda it: it.in_union)
    product = taobao.resolve(taobao.match_paste(f"https://item.taobao.com/item.htm?spm=a1z10&id={item.external_id}"))
    shop = product.shop
    assert (shop.dsr_description, shop.dsr_service, shop.dsr_logistics) == item.shop.dsr
    assert (shop.industry_description, shop.industry_service, shop.industry_logistics) == item.shop.industry
    assert shop.credit_level == item.shop.credit_level
    assert product.commission_rate_bp == item.commission_rate_bp
    assert product.category == item.category.leaf


def test_short_link_is_followed_to_its_item(taobao):
    item = _first("taobao", lambda it: it.in_union)
    match = taobao.match_paste(f"复制打开 https://m.tb.cn/{short_link_for(item.external_id)} 「好物」")
    assert match.kind == "short_link"
    assert taobao.resolve(match).external_id == item.external_id


def test_item_outside_taobao_union_is_refused_with_the_add_to_union_message(taobao):
    item = _first("taobao", lambda it: not it.in_union)
    with pytest.raises(NotPromotable) as refused:
        taobao.resolve(PasteMatch(source="taobao", kind="id", value=item.external_id))
    assert "Taobao Union" in refused.value.message and "淘宝客联盟" in refused.value.message


def test_item_outside_taobao_union_is_left_out_of_batch_detail(taobao):
    inside = _first("taobao", lambda it: it.in_union)
    outside = _first("taobao", lambda it: not it.in_union)
    found = taobao.products_detail([inside.external_id, outside.external_id, "999"])
    assert [p.external_id for p in found] == [inside.external_id]


def test_unknown_token_is_not_found(taobao):
    with pytest.raises(NotFound):
        taobao.resolve(PasteMatch(source="taobao", kind="token", value="Zz9Zz9Zz9Zz"))


def test_batch_detail_splits_into_calls_of_forty(taobao, sandbox):
    ids = [catalog.external_id("taobao", i) for i in range(85)]
    sandbox.calls.clear()
    found = taobao.products_detail(ids)
    assert len(sandbox.calls) == 3
    assert len(found) == sum(catalog.in_union("taobao", i) for i in range(85))


def test_search_without_keyword_lists_hot_sellers_by_sales(taobao):
    page = taobao.search(page_size=10)
    assert len(page.items) == 10 and page.has_more
    volumes = [p.sales_volume for p in page.items]
    assert volumes == sorted(volumes, reverse=True)
    assert all(p.shop.dsr_description is not None for p in page.items)


def test_search_by_keyword_matches_titles_and_pages(taobao):
    first = taobao.search(keyword="四件套", page=1, page_size=5, sort="price_asc")
    second = taobao.search(keyword="四件套", page=2, page_size=5, sort="price_asc")
    assert first.items and all("四件套" in p.title for p in first.items + second.items)
    prices = [p.price_fen for p in first.items + second.items]
    assert prices == sorted(prices)
    assert not {p.external_id for p in first.items} & {p.external_id for p in second.items}


def test_promotion_link_carries_the_click_id_and_a_token_that_resolves(taobao):
    item = _first("taobao", lambda it: it.in_union)
    link = taobao.promotion_link(external_id=item.external_id, click_id="clk-42")
    assert "external_id=clk-42" in link.url
    assert taobao.resolve(taobao.match_paste(f"打开淘宝 {link.token}")).external_id == item.external_id


def test_promotion_link_for_a_non_union_item_is_refused(taobao):
    item = _first("taobao", lambda it: not it.in_union)
    with pytest.raises(NotPromotable):
        taobao.promotion_link(external_id=item.external_id, click_id="clk-1")


def test_order_rows_carry_the_click_id_and_exact_money(taobao):
    item = _first("taobao", lambda it: it.in_union)
    order = sandbox_order_create(source="taobao", external_id=item.external_id, click_id="clk-7", quantity=3)
    now = timezone.now()
    page = taobao.order_reports(start=now - timedelta(hours=1), end=now + timedelta(minutes=5))
    [row] = page.rows
    assert (row.order_id, row.click_id, row.quantity) == (order.order_id, "clk-7", 3)
    assert row.paid_amount_fen == item.price_fen * 3 == order.paid_amount_fen
    assert row.estimated_commission_fen == order.estimated_commission_fen
    assert row.commission_rate_bp == item.commission_rate_bp
    assert row.status == OrderStatus.PAID and not page.has_more


@pytest.mark.parametrize("steps, status, raw", [
    ((sandbox_order_finish,), OrderStatus.CONFIRMED, "14"),
    ((sandbox_order_finish, sandbox_order_settle), OrderStatus.SETTLED, "3"),
    ((sandbox_order_refund,), OrderStatus.INVALID, "13"),
])
def test_tk_status_maps_onto_order_status(taobao, steps, status, raw):
    item = _first("taobao", lambda it: it.in_union)
    order = sandbox_order_create(source="taobao", external_id=item.external_id, click_id="c")
    for step in steps:
        order = step(order=order)
    now = timezone.now()
    [row] = taobao.order_reports(start=now - timedelta(hours=1), end=now + timedelta(minutes=5)).rows
    assert (row.status, row.raw_status) == (status, raw)
    if status == OrderStatus.SETTLED:
        assert row.settled_commission_fen == order.estimated_commission_fen


def test_unpaid_orders_are_not_reported_by_taobao(taobao):
    item = _first("taobao", lambda it: it.in_union)
    sandbox_order_create(source="taobao", external_id=item.external_id, status="unpaid")
    now = timezone.now()
    assert taobao.order_reports(start=now - timedelta(hours=1), end=now + timedelta(minutes=5)).rows == []


def test_order_window_longer_than_three_hours_is_refused_before_calling(taobao, sandbox):
    now = timezone.now()
    with pytest.raises(ValueError):
        taobao.order_reports(start=now - timedelta(hours=3, seconds=1), end=now)
    assert sandbox.calls == []


def test_orders_outside_the_window_are_not_reported(taobao):
    item = _first("taobao", lambda it: it.in_union)
    then = timezone.now() - timedelta(hours=5)
    sandbox_order_create(source="taobao", external_id=item.external_id, at=then)
    now = timezone.now()
    assert taobao.order_reports(start=now - timedelta(hours=1), end=now).rows == []
    assert len(taobao.order_reports(start=then - timedelta(minutes=1), end=then + timedelta(minutes=1)).rows) == 1
