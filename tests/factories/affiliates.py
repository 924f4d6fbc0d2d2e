"""Factories for the product pool, gate rules and native shops."""
from __future__ import annotations

import itertools

import factory
from django.contrib.auth import get_user_model

from affiliates.models import (
    BannedCategory,
    GateThreshold,
    Product,
    ProductSource,
    Shop,
    ShopCategory,
    ShopProduct,
    ShopProductStatus,
    Sku,
)
from affiliates.search import index_tokens
from affiliates.sources.base import ProductInfo, ShopInfo

_ids = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("handle",)

    handle = factory.Sequence(lambda n: f"aff_user{n}")
    nickname = factory.Sequence(lambda n: f"达人{n}")
    password = factory.django.Password("pw-Secret-123")


def good_shop(**overrides) -> ShopInfo:
    """A Taobao shop that passes the gate: level 7 (two diamonds), every DSR above average."""
    values = dict(shop_id="s1", name="品质好店", credit_level=7, dsr_description=485, dsr_service=482,
                  dsr_logistics=480, industry_description=470, industry_service=470, industry_logistics=470)
    values.update(overrides)
    return ShopInfo(**values)


def product_info(**overrides) -> ProductInfo:
    """A ProductInfo as a client returns it (Taobao, gate-passing, unless overridden)."""
    n = next(_ids)
    values = dict(source="taobao", external_id=f"6{n:011d}", title=f"夏季新款纯棉短袖T恤{n}", price_fen=5900,
                  commission_rate_bp=2000, image_urls=[f"https://img.example/{n}.jpg"], category="女装",
                  category_id="16", shop=good_shop(), sales_volume=100 + n, item_url=f"https://item.taobao.com/item.htm?id={n}")
    values.update(overrides)
    return ProductInfo(**values)


class ProductFactory(factory.django.DjangoModelFactory):
    """A stored product already in the pool (gate passed, available, promotable)."""

    class Meta:
        model = Product

    source = ProductSource.TAOBAO
    external_id = factory.Sequence(lambda n: f"9{n:011d}")
    title = factory.Sequence(lambda n: f"测试商品{n}")
    image_urls = factory.LazyAttribute(lambda o: [f"https://img.example/{o.external_id}.jpg"])
    price_fen = 9900
    commission_rate_bp = 1500
    category = "女装"
    shop_name = "品质好店"
    sales_volume = 10
    search_tokens = factory.LazyAttribute(lambda o: index_tokens(o.title, o.category))
    gate_passed = True
    content_hash = "factory"


class BannedCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BannedCategory

    source = ProductSource.TAOBAO
    category_name = "医疗器械"
    rule_name = "医疗器械禁入"


class GateThresholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GateThreshold
        django_get_or_create = ("source",)

    source = ProductSource.TAOBAO
    credit_level_above = 6
    dsr_above_average = True


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"好物小店{n}")
    category = ShopCategory.FOOD
    contact_name = "张三"
    contact_phone = "13800138000"


class ShopProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShopProduct

    shop = factory.SubFactory(ShopFactory)
    public_id = factory.Sequence(lambda n: f"3{n:018d}")
    title = factory.Sequence(lambda n: f"手工红糖姜茶{n}")
    category = ShopCategory.FOOD
    status = ShopProductStatus.DRAFT


class SkuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sku

    product = factory.SubFactory(ShopProductFactory)
    name = factory.Sequence(lambda n: f"规格{n}")
    price_fen = 2990
    stock = 10
