"""Pool browsing for creators without goods (选择、筛选或搜索): filters, sorts, Chinese keyword
search, the default hot sellers, and what never appears in the pool."""
import pytest
from django.urls import reverse

from affiliates.models import Product
from affiliates.search import index_tokens, query_tokens
from affiliates.selectors import PoolFilters, pool_products
from core.errors import InvalidInput
from tests.factories.affiliates import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def ids(qs) -> list[int]:
    return list(qs.values_list("pk", flat=True))


def titles(qs) -> list[str]:
    return list(qs.values_list("title", flat=True))


def test_only_gate_passing_available_promotable_products_are_in_the_pool():
    good = ProductFactory(sales_volume=5)
    ProductFactory(gate_passed=False)
    ProductFactory(available=False)
    ProductFactory(promotable=False)
    assert ids(pool_products(filters=PoolFilters(sort="sales"))) == [good.pk]


def test_filter_by_source():
    ProductFactory(source="taobao")
    jd = ProductFactory(source="jd")
    assert ids(pool_products(filters=PoolFilters(source="jd"))) == [jd.pk]


def test_filter_by_category():
    ProductFactory(category="女装")
    shoes = ProductFactory(category="运动鞋")
    assert ids(pool_products(filters=PoolFilters(category="运动鞋"))) == [shoes.pk]


def test_price_range_is_inclusive_in_fen():
    cheap, mid, dear = (ProductFactory(price_fen=p) for p in (999, 5000, 20000))
    assert set(ids(pool_products(filters=PoolFilters(price_min_fen=999, price_max_fen=5000)))) == {cheap.pk, mid.pk}
    assert ids(pool_products(filters=PoolFilters(price_min_fen=5001))) == [dear.pk]


def test_commission_rate_range():
    ProductFactory(commission_rate_bp=500)
    high = ProductFactory(commission_rate_bp=3000)
    assert ids(pool_products(filters=PoolFilters(rate_min_bp=2000, rate_max_bp=3000))) == [high.pk]


@pytest.mark.parametrize(("sort", "field", "descending"), [
    ("commission", "commission_rate_bp", True), ("sales", "sales_volume", True),
    ("price", "price_fen", False), ("price_desc", "price_fen", True)])
def test_sorts(sort, field, descending):
    for i, (rate, sales, price) in enumerate([(1000, 50, 3000), (3000, 10, 1000), (2000, 90, 2000)]):
        ProductFactory(commission_rate_bp=rate, sales_volume=sales, price_fen=price, title=f"商品{i}")
    values = list(pool_products(filters=PoolFilters(sort=sort)).values_list(field, flat=True))
    assert values == sorted(values, reverse=descending) and len(set(values)) == 3


def test_impossible_ranges_are_refused_naming_the_field():
    with pytest.raises(InvalidInput) as exc:
        PoolFilters(price_min_fen=500, price_max_fen=100).validate()
    assert exc.value.field == "price_min_fen"
    with pytest.raises(InvalidInput) as exc:
        PoolFilters(rate_min_bp=5000, rate_max_bp=100).validate()
    assert exc.value.field == "rate_min_bp"
    with pytest.raises(InvalidInput) as exc:
        PoolFilters(sort="random").validate()
    assert exc.value.field == "sort"


# --- default list -------------------------------------------------------------------------------------
def test_nothing_chosen_shows_taobao_unions_recommended_hot_sellers_by_sales():
    hot_a = ProductFactory(source="taobao", is_recommended=True, sales_volume=500)
    hot_b = ProductFactory(source="taobao", is_recommended=True, sales_volume=9000)
    ProductFactory(source="taobao", sales_volume=99999)  # a best seller, but not recommended
    ProductFactory(source="jd", is_recommended=True, sales_volume=99999)  # recommended by JD, not Taobao Union
    assert ids(pool_products(filters=PoolFilters())) == [hot_b.pk, hot_a.pk]


def test_without_recommendations_yet_the_default_list_is_the_pool_by_sales():
    a, b = ProductFactory(sales_volume=1), ProductFactory(sales_volume=2)
    assert ids(pool_products(filters=PoolFilters())) == [b.pk, a.pk]


# --- Chinese keyword search -----------------------------------------------------------------------------
def test_titles_are_segmented_into_words_for_search():
    tokens = index_tokens("不锈钢保温杯男女学生", "水杯")
    assert {"不锈钢", "保温杯", "保温", "男女", "学生", "水杯"} <= set(tokens.split())
    assert query_tokens("保温杯 学生") == ["保温杯", "学生"]


def test_keyword_finds_a_word_inside_an_unspaced_title():
    cup = ProductFactory(title="不锈钢保温杯男女学生便携水杯")
    ProductFactory(title="纯棉短袖T恤男夏季宽松")
    assert ids(pool_products(filters=PoolFilters(q="保温杯"))) == [cup.pk]


def test_a_substring_across_a_word_boundary_is_not_a_word():
    ProductFactory(title="不锈钢保温杯男女学生便携水杯")
    # "温杯" is in the text, but the segmenter splits the title as 保温杯 / 保温 — no word 温杯.
    assert ids(pool_products(filters=PoolFilters(q="温杯"))) == []


def test_search_is_case_insensitive_for_latin_words():
    shirt = ProductFactory(title="夏季纯棉短袖T恤")
    assert ids(pool_products(filters=PoolFilters(q="t恤"))) == [shirt.pk]


def test_multi_word_query_finds_only_products_with_every_word_best_sellers_first():
    both = ProductFactory(title="儿童保温杯316不锈钢", sales_volume=1)
    both_more_sold = ProductFactory(title="儿童吸管保温杯", sales_volume=50)
    ProductFactory(title="玻璃保温杯办公室", sales_volume=1000)
    ProductFactory(title="儿童绘本故事书", sales_volume=500)
    ProductFactory(title="男士运动鞋", sales_volume=9999)
    assert ids(pool_products(filters=PoolFilters(q="儿童 保温杯"))) == [both_more_sold.pk, both.pk]


def test_keyword_with_an_explicit_sort_requires_every_word():
    a = ProductFactory(title="儿童保温杯316不锈钢", price_fen=5000)
    b = ProductFactory(title="儿童吸管保温杯", price_fen=3000)
    ProductFactory(title="玻璃保温杯办公室", price_fen=100)
    assert ids(pool_products(filters=PoolFilters(q="儿童保温杯", sort="price"))) == [b.pk, a.pk]


def test_keyword_combines_with_filters():
    ProductFactory(title="儿童保温杯", source="taobao")
    jd_cup = ProductFactory(title="儿童保温杯", source="jd")
    assert ids(pool_products(filters=PoolFilters(q="保温杯", source="jd"))) == [jd_cup.pk]


def test_punctuation_only_query_matches_nothing():
    ProductFactory(title="儿童保温杯")
    assert ids(pool_products(filters=PoolFilters(q="！！？"))) == []


# --- shop products are only for their own shop ------------------------------------------------------------
def test_shop_products_appear_only_to_their_own_shop(django_user_model):
    from tests.factories.affiliates import ShopFactory

    shop = ShopFactory()
    mine = ProductFactory(source="shop", shop_external_id=str(shop.pk))
    public = ProductFactory(source="alliance")
    other = UserFactory()
    assert ids(pool_products(filters=PoolFilters(sort="sales"), user=other)) == [public.pk]
    assert set(ids(pool_products(filters=PoolFilters(sort="sales"), user=shop.owner))) == {mine.pk, public.pk}


# --- API and page ----------------------------------------------------------------------------------------
def test_api_lists_filters_and_paginates(api_client):
    for i in range(25):
        ProductFactory(source="jd", commission_rate_bp=100 * i, title=f"京东好物{i}")
    response = api_client.get(reverse("affiliates_api:products"), {"source": "jd", "sort": "commission"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 25 and len(body["results"]) == 20
    assert body["results"][0]["commission_rate_bp"] == 2400
    assert set(body["results"][0]) >= {"id", "source", "title", "price_fen", "commission_rate_bp", "shop",
                                       "estimated_commission_fen", "image_urls", "gate_passed"}


def test_api_bad_filter_is_a_400_naming_the_parameter(api_client):
    response = api_client.get(reverse("affiliates_api:products"), {"price_min_fen": "cheap"})
    assert response.status_code == 400 and response.json()["error"]["field"] == "price_min_fen"
    response = api_client.get(reverse("affiliates_api:products"), {"source": "amazon"})
    assert response.status_code == 400 and response.json()["error"]["field"] == "source"


def test_api_detail_shows_shop_scores_and_hides_other_shops_products(api_client):
    p = ProductFactory(shop_dsr_logistics=481, industry_dsr_logistics=470, gate_passed=False,
                       gate_failures=[{"code": "level_too_low", "level": 5, "above": 6, "scale": "taobao"}])
    body = api_client.get(reverse("affiliates_api:product_detail", args=[p.pk])).json()
    assert body["shop"]["dsr"]["logistics"] == {"score": 481, "industry_average": 470, "industry_rank": None}
    assert body["gate_failures"] == ["店铺等级 5（5心）须高于 6 级（1钻）"]
    hidden = ProductFactory(source="shop", shop_external_id="999")
    assert api_client.get(reverse("affiliates_api:product_detail", args=[hidden.pk])).status_code == 404


@pytest.mark.parametrize("n", [1, 20, 100])
def test_pool_api_query_count_does_not_grow_with_products(api_client, django_assert_max_num_queries, n):
    Product.objects.bulk_create([
        ProductFactory.build(title=f"好物{i}", is_recommended=True, sales_volume=i) for i in range(n)])
    api_client.force_authenticate(UserFactory())
    with django_assert_max_num_queries(4):
        assert api_client.get(reverse("affiliates_api:products")).status_code == 200
    with django_assert_max_num_queries(4):
        assert api_client.get(reverse("affiliates_api:products"), {"q": "好物", "source": "taobao"}).status_code == 200


@pytest.mark.parametrize("n", [1, 20, 100])
def test_pool_page_query_count_does_not_grow_with_products(client, django_assert_max_num_queries, n):
    Product.objects.bulk_create([
        ProductFactory.build(title=f"好物{i}", is_recommended=True, sales_volume=i) for i in range(n)])
    client.force_login(UserFactory())
    with django_assert_max_num_queries(9):
        response = client.get(reverse("affiliates:pool"))
    assert response.status_code == 200
    assert response.content.decode().count("data-product-id=") == min(n, 20)


def test_pool_page_shows_hot_sellers_title_and_cards_with_commission(client):
    ProductFactory(title="爆款保温杯", is_recommended=True, price_fen=5900, commission_rate_bp=2000)
    client.force_login(UserFactory())
    html = client.get(reverse("affiliates:pool")).content.decode()
    assert "淘宝联盟推荐热销商品" in html and "爆款保温杯" in html
    assert "¥<b>59.00</b>" in html and "20%" in html and "¥11.80" in html
    assert "粘贴淘口令或商品链接" in html


def test_pool_page_filters_in_yuan_and_percent(client):
    ProductFactory(title="便宜货", price_fen=990, commission_rate_bp=500)
    ProductFactory(title="中等货", price_fen=5000, commission_rate_bp=2500)
    client.force_login(UserFactory())
    html = client.get(reverse("affiliates:pool"), {"price_min": "10", "price_max": "50.00", "rate_min": "20"}).content.decode()
    assert "中等货" in html and "便宜货" not in html


def test_pool_page_bad_price_is_shown_next_to_the_field(client):
    client.force_login(UserFactory())
    response = client.get(reverse("affiliates:pool"), {"price_min": "十块"})
    html = response.content.decode()
    assert "请输入金额（元）" in html


def test_pool_page_needs_login(client):
    response = client.get(reverse("affiliates:pool"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_postgresql_keyword_search_uses_the_gin_index():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the full-text index exists on PostgreSQL only")
    Product.objects.bulk_create([ProductFactory.build(title=f"男士运动鞋透气{i}号") for i in range(3000)])
    ProductFactory(title="儿童保温杯")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE affiliates_product")
    plan = pool_products(filters=PoolFilters(q="保温杯")).explain()
    assert "product_search_tokens_gin" in plan
