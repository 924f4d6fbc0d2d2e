"""The generated catalog: deterministic, invertible ids, believable and varied data."""
import pytest

from affiliates.sandbox import catalog
from affiliates.sandbox.words import RESTRICTED_TOPS

SOURCES = catalog.SOURCES


@pytest.mark.parametrize("source", SOURCES)
def test_an_item_is_a_pure_function_of_source_and_index(source):
    catalog._item.cache_clear()
    first = catalog.item(source, 123)
    catalog._item.cache_clear()
    assert catalog.item(source, 123) == first
    assert catalog.item(source, 124) != first


@pytest.mark.parametrize("source", SOURCES)
def test_external_ids_map_back_to_their_index(source):
    for index in (0, 1, 777, catalog.size() - 1):
        assert catalog.index_of(source, catalog.external_id(source, index)) == index


@pytest.mark.parametrize("source", SOURCES)
def test_ids_outside_the_catalog_are_unknown(source):
    last = catalog.external_id(source, catalog.size() - 1).split("-")[0]
    assert catalog.index_of(source, str(int(last) + 1)) is None
    assert catalog.index_of(source, "abc") is None
    assert catalog.find(source, catalog.external_id(source, catalog.size())) is None


def test_catalog_size_comes_from_the_setting(settings):
    settings.SANDBOX_CATALOG_SIZE = 100_000
    assert catalog.index_of("jd", catalog.external_id("jd", 99_999)) == 99_999
    settings.SANDBOX_CATALOG_SIZE = 50
    assert catalog.index_of("jd", catalog.external_id("jd", 99_999)) is None
    assert len(catalog.search("jd", "", "price_asc")) <= 50


@pytest.mark.parametrize("source", SOURCES)
def test_items_carry_prices_in_fen_rates_in_bp_and_shop_scores(source):
    items = [catalog.item(source, i) for i in range(300)]
    assert all(it.price_fen > 0 and it.original_price_fen >= it.price_fen for it in items)
    assert all(0 < it.commission_rate_bp <= 5000 and it.commission_rate_bp % 50 == 0 for it in items)
    assert all(1 <= it.shop.credit_level <= 20 for it in items)
    assert all(400 < s <= 500 for it in items for s in it.shop.dsr + it.shop.industry)
    assert len({it.shop.shop_id for it in items}) > 5
    assert any(any(d < a for d, a in zip(it.shop.dsr, it.shop.industry, strict=True)) for it in items)
    assert any(all(d > a for d, a in zip(it.shop.dsr, it.shop.industry, strict=True)) for it in items)


def test_titles_are_chinese_and_categories_include_ones_a_gate_bans():
    items = [catalog.item("taobao", i) for i in range(catalog.size())]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in it.title) for it in items[:50])
    assert {it.category.top for it in items} & RESTRICTED_TOPS == RESTRICTED_TOPS
    assert any(not it.in_union for it in items) and any(it.in_union for it in items)


def test_hot_sellers_leave_out_restricted_and_out_of_stock_items():
    hot = [catalog.item("jd", i) for i in catalog.search("jd")]
    assert hot and all(it.category.top not in RESTRICTED_TOPS and it.available for it in hot)
    volumes = [it.sales_volume for it in hot]
    assert volumes == sorted(volumes, reverse=True)


def test_share_tokens_round_trip_and_reject_forgeries():
    token = catalog.token_for("taobao", 42)
    assert len(token) == 11 and catalog.index_of_token("taobao", token) == 42
    assert catalog.index_of_token("taobao", token[:-1] + ("0" if token[-1] != "0" else "1")) is None


# --- any well-formed id names an item (issue 11 point 6) ---------------------------------------------
from affiliates.sandbox import catalog as _catalog  # noqa: E402

REAL_LOOKING = {"taobao": "652366758392", "jd": "100012043978", "kaola": "1234567", "vip": "6918989812345678",
                "suning": "12345678-0070001117"}


@pytest.mark.parametrize("source", sorted(REAL_LOOKING))
def test_any_well_formed_id_outside_the_catalog_is_an_item_derived_from_the_id(source):
    ext_id = REAL_LOOKING[source]
    assert _catalog.index_of(source, ext_id) is None
    item = _catalog.find(source, ext_id)
    assert item is not None and item.external_id == ext_id and item.in_union and item.title
    assert _catalog.find(source, ext_id) == item  # deterministic
    other = _catalog.find(source, ext_id[:-3] + "977" if source != "suning" else "12345679-0070001117")
    assert other is not None and other.external_id != ext_id


def test_documented_id_ranges_answer_not_found_delisted_and_not_in_the_union():
    assert _catalog.find("jd", "100012043005") is None
    delisted = _catalog.find("jd", "100012043015")
    assert delisted.delisted and not delisted.available and not delisted.in_union
    outside = _catalog.find("jd", "100012043025")
    assert not outside.in_union and not outside.delisted


@pytest.mark.parametrize("source, ext_id", [("jd", "12"), ("taobao", "abc123456"), ("suning", "12345678"),
                                            ("vip", "1" * 21), ("kaola", "12")])
def test_malformed_ids_are_not_items(source, ext_id):
    assert _catalog.find(source, ext_id) is None
