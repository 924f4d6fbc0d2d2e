"""product_upsert_many: one shape for every source, set-based, and silent for unchanged rows."""
import dataclasses

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from affiliates.models import BannedCategory, Product
from affiliates.services import product_recommended_set, product_upsert_many
from tests.factories.affiliates import BannedCategoryFactory, good_shop, product_info

pytestmark = pytest.mark.django_db


def _writes(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_new_products_are_created_with_all_fields_in_one_shape():
    info = product_info(title="不锈钢保温杯男女学生", original_price_fen=12900, coupon_fen=1000)
    counts = product_upsert_many(infos=[info])
    assert (counts.created, counts.updated, counts.unchanged) == (1, 0, 0)
    p = Product.objects.get(source="taobao", external_id=info.external_id)
    assert p.price_fen == 5900 and p.original_price_fen == 12900 and p.coupon_fen == 1000
    assert p.commission_rate_bp == 2000 and p.image_urls == info.image_urls
    assert (p.shop_name, p.shop_credit_level, p.shop_dsr_logistics, p.industry_dsr_logistics) == ("品质好店", 7, 480, 470)
    assert " 保温杯 " in p.search_tokens and " 不锈钢 " in p.search_tokens
    assert p.gate_passed is True and p.gate_failures == [] and p.gate_checked_at is not None
    assert p.last_synced_at is not None


def test_unchanged_page_writes_nothing():
    infos = [product_info() for _ in range(30)]
    product_upsert_many(infos=infos)
    before = dict(Product.objects.values_list("pk", "updated_at"))
    with CaptureQueriesContext(connection) as ctx:
        counts = product_upsert_many(infos=infos)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 30)
    assert _writes(ctx) == []
    assert dict(Product.objects.values_list("pk", "updated_at")) == before


def test_only_changed_rows_are_rewritten():
    infos = [product_info() for _ in range(10)]
    product_upsert_many(infos=infos)
    before = dict(Product.objects.values_list("external_id", "updated_at"))
    infos[3] = dataclasses.replace(infos[3], price_fen=4900)
    counts = product_upsert_many(infos=infos)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 9)
    after = dict(Product.objects.values_list("external_id", "updated_at"))
    changed = [k for k in after if after[k] != before[k]]
    assert changed == [infos[3].external_id]
    assert Product.objects.get(external_id=infos[3].external_id).price_fen == 4900


def test_upsert_query_count_does_not_grow_with_page_size():
    small = [product_info() for _ in range(5)]
    large = [product_info() for _ in range(300)]
    with CaptureQueriesContext(connection) as ctx_small:
        product_upsert_many(infos=small)
    with CaptureQueriesContext(connection) as ctx_large:
        product_upsert_many(infos=large)
    assert len(ctx_large.captured_queries) == len(ctx_small.captured_queries) <= 5


def test_mixed_page_counts_created_updated_and_unchanged():
    old = [product_info() for _ in range(4)]
    product_upsert_many(infos=old)
    page = [old[0], dataclasses.replace(old[1], title="新标题的保温杯"), *[product_info() for _ in range(3)]]
    counts = product_upsert_many(infos=page)
    assert (counts.created, counts.updated, counts.unchanged) == (3, 1, 1)
    assert " 保温杯 " in Product.objects.get(external_id=old[1].external_id).search_tokens


def test_same_external_id_in_two_sources_is_two_products():
    a = product_info(source="taobao", external_id="100")
    b = product_info(source="jd", external_id="100")
    product_upsert_many(infos=[a, b])
    assert Product.objects.filter(external_id="100").count() == 2


def test_database_refuses_a_second_row_for_the_same_source_and_id():
    product_upsert_many(infos=[product_info(external_id="777")])
    existing = Product.objects.get(external_id="777")
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(source="taobao", external_id="777", title="x", price_fen=1,
                               commission_rate_bp=1, content_hash="y")
    assert Product.objects.filter(external_id="777").get() == existing


def test_repeated_id_within_a_page_keeps_the_last_version():
    first = product_info(external_id="555", price_fen=1000)
    counts = product_upsert_many(infos=[first, dataclasses.replace(first, price_fen=2000)])
    assert counts.created == 1
    assert Product.objects.get(external_id="555").price_fen == 2000


def test_rows_a_source_sends_broken_are_skipped_not_stored():
    good = product_info()
    bad_price = product_info(price_fen=-1)
    bad_rate = product_info(commission_rate_bp=10_001)
    counts = product_upsert_many(infos=[good, bad_price, bad_rate])
    assert (counts.created, counts.skipped) == (1, 2)
    assert list(Product.objects.values_list("external_id", flat=True)) == [good.external_id]


def test_changing_gate_rules_rewrites_an_unchanged_product_with_the_new_result():
    BannedCategory.objects.all().delete()  # without the platform's bans (migration 0007)
    info = product_info(category="医疗器械")
    product_upsert_many(infos=[info])
    assert Product.objects.get(external_id=info.external_id).gate_passed
    BannedCategoryFactory(source="taobao", category_name="医疗器械", rule_name="医疗器械禁入")
    counts = product_upsert_many(infos=[info])
    assert counts.updated == 1
    p = Product.objects.get(external_id=info.external_id)
    assert not p.gate_passed and p.gate_failures[0]["rule"] == "医疗器械禁入"
    assert product_upsert_many(infos=[info]).unchanged == 1


def test_a_shop_score_change_reruns_the_gate():
    info = product_info()
    product_upsert_many(infos=[info])
    worse = dataclasses.replace(info, shop=good_shop(dsr_logistics=462))
    product_upsert_many(infos=[worse])
    p = Product.objects.get(external_id=info.external_id)
    assert not p.gate_passed and p.gate_failures[0]["metric"] == "logistics"


def test_recommended_hot_sellers_are_replaced_and_unchanged_flags_not_written():
    infos = [product_info() for _ in range(4)]
    product_upsert_many(infos=infos)
    assert product_recommended_set(source="taobao", external_ids=[i.external_id for i in infos[:2]]) == 2
    assert product_recommended_set(source="taobao", external_ids=[i.external_id for i in infos[:2]]) == 0
    assert product_recommended_set(source="taobao", external_ids=[infos[2].external_id]) == 3
    assert list(Product.objects.filter(is_recommended=True).values_list("external_id", flat=True)) == [
        infos[2].external_id]


def test_resync_does_not_clear_the_recommended_flag():
    info = product_info()
    product_upsert_many(infos=[info])
    product_recommended_set(source="taobao", external_ids=[info.external_id])
    product_upsert_many(infos=[dataclasses.replace(info, price_fen=1)])
    assert Product.objects.get(external_id=info.external_id).is_recommended
