"""The demo world: shops with products and SKUs, alliance listings, banned categories, and the
outside sources' hot sellers imported through the real clients from the in-process sandbox."""
import io

import pytest

from affiliates import demo
from affiliates.models import BannedCategory, Product, Shop, ShopProduct
from affiliates.selectors import PoolFilters, pool_products

pytestmark = pytest.mark.django_db


def test_demo_seed_builds_the_pool_and_running_it_again_changes_nothing(settings):
    settings.SANDBOX_CATALOG_SIZE = 300
    out = io.StringIO()
    demo.seed(out)
    assert Shop.objects.count() == 3 and ShopProduct.objects.filter(skus__stock__gt=0).exists()
    assert BannedCategory.objects.filter(source="", category_name="医疗器械").exists()
    sources = set(Product.objects.values_list("source", flat=True))
    assert sources == {"taobao", "jd", "kaola", "vip", "suning", "shop", "alliance"}
    assert pool_products(filters=PoolFilters(source="alliance")).count() >= 5
    hot = pool_products(filters=PoolFilters())
    assert hot.exists() and all(p.source == "taobao" and p.is_recommended for p in hot)
    before = dict(Product.objects.values_list("pk", "updated_at"))
    counts = (Shop.objects.count(), ShopProduct.objects.count(), BannedCategory.objects.count())
    demo.seed(io.StringIO())
    assert dict(Product.objects.values_list("pk", "updated_at")) == before
    assert (Shop.objects.count(), ShopProduct.objects.count(), BannedCategory.objects.count()) == counts


def test_demo_skips_the_import_when_the_sandbox_is_off(settings):
    settings.SANDBOX_ENABLED = False
    out = io.StringIO()
    demo.import_hot_sellers(out)
    assert not Product.objects.exists() and "sandbox off" in out.getvalue()
