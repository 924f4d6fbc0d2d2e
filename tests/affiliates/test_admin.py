"""Operators see the pool, the gate's results and rules, and the shops in admin."""
import pytest
from django.urls import reverse

from affiliates.models import BannedCategory, Product
from affiliates.services import product_upsert_many
from tests.factories.affiliates import SkuFactory, UserFactory, good_shop, product_info

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_product_list_filters_by_gate_result_and_shows_readable_failures(operator, settings):
    product_upsert_many(infos=[product_info(title="好店的商品"), product_info(title="差店的商品",
                                                                      shop=good_shop(dsr_logistics=462))])
    page = operator.get(reverse("admin:affiliates_product_changelist"), {"gate_passed__exact": "0"})
    html = page.content.decode()
    assert page.status_code == 200 and "差店的商品" in html and "好店的商品" not in html
    bad = Product.objects.get(title="差店的商品")
    detail = operator.get(reverse("admin:affiliates_product_change", args=[bad.pk])).content.decode()
    assert "物流 4.62 低于行业平均 4.70（差 0.08）" in detail
    secrets = [c["app_secret"] for c in settings.SANDBOX_CREDENTIALS.values()]
    assert not any(s in detail for s in secrets)


def test_product_search_by_title_and_external_id(operator):
    info = product_info(title="独一无二的保温杯")
    product_upsert_many(infos=[info])
    for q in ("保温杯", info.external_id):
        assert "独一无二的保温杯" in operator.get(reverse("admin:affiliates_product_changelist"), {"q": q}).content.decode()


def test_adding_a_banned_category_in_admin_rechecks_that_sources_products(operator):
    BannedCategory.objects.all().delete()  # without the platform's bans (migration 0007)
    info = product_info(category="彩票")
    product_upsert_many(infos=[info])
    response = operator.post(reverse("admin:affiliates_bannedcategory_add"), {
        "source": "taobao", "category_name": "彩票", "category_id": "", "rule_name": "彩票禁售", "active": "on"})
    assert response.status_code == 302 and BannedCategory.objects.count() == 1
    product = Product.objects.get(external_id=info.external_id)
    assert not product.gate_passed and product.gate_failures[0]["rule"] == "彩票禁售"


def test_recheck_action_on_selected_products(operator):
    BannedCategory.objects.all().delete()  # without the platform's bans (migration 0007)
    product_upsert_many(infos=[product_info(category="烟草")])
    BannedCategory.objects.create(source="taobao", category_name="烟草", rule_name="烟草禁售")  # not via admin
    product = Product.objects.get()
    assert product.gate_passed
    operator.post(reverse("admin:affiliates_product_changelist"),
                  {"action": "recheck_gate", "_selected_action": [product.pk]})
    product.refresh_from_db()
    assert not product.gate_passed


def test_shop_and_shop_product_pages_with_sku_inline(operator):
    sku = SkuFactory()
    assert operator.get(reverse("admin:affiliates_shop_changelist")).status_code == 200
    page = operator.get(reverse("admin:affiliates_shopproduct_change", args=[sku.product.pk]))
    assert page.status_code == 200 and sku.name in page.content.decode()
    assert operator.get(reverse("admin:affiliates_gatethreshold_add")).status_code == 200


def test_admin_cannot_edit_price_stock_status_or_rate_of_a_shop_product(operator):
    """Issue 12 §6: price, stock, status and the alliance rate belong to the merchant's back
    office and the admin actions; a posted change of them is ignored."""
    sku = SkuFactory(stock=5, price_fen=2990, product__status="on_sale")
    sp = sku.product
    form = {"shop": sp.shop_id, "title": sp.title, "description": "", "category": sp.category, "status": "draft",
            "alliance_rate_bp": "2000", "sales_volume": "0",
            "skus-TOTAL_FORMS": "1", "skus-INITIAL_FORMS": "1", "skus-0-id": sku.pk, "skus-0-product": sp.pk,
            "skus-0-name": sku.name, "skus-0-price_fen": "1990", "skus-0-stock": "0", "skus-0-is_active": "on",
            "skus-0-position": "0",
            "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0"}
    response = operator.post(reverse("admin:affiliates_shopproduct_change", args=[sp.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    sku.refresh_from_db()
    sp.refresh_from_db()
    assert (sku.price_fen, sku.stock, sp.status, sp.alliance_rate_bp) == (2990, 5, "on_sale", None)
