"""Reads of the product pool and of merchants' shops."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Min, Q, QuerySet, Sum

from core.errors import InvalidInput

from .models import POOL_CONDITION, Product, ProductSource, Shop, ShopProduct
from .search import keyword_filter

POOL_SORTS = {
    "commission": ("-commission_rate_bp", "-sales_volume", "-id"),
    "sales": ("-sales_volume", "-id"),
    "price": ("price_fen", "-sales_volume", "id"),
    "price_desc": ("-price_fen", "-sales_volume", "-id"),
}


@dataclass(frozen=True)
class PoolFilters:
    source: str = ""
    category: str = ""
    price_min_fen: int | None = None
    price_max_fen: int | None = None
    rate_min_bp: int | None = None
    rate_max_bp: int | None = None
    sort: str = ""
    q: str = ""

    @property
    def is_empty(self) -> bool:
        """Nothing chosen: the pool shows Taobao Union's recommended hot sellers."""
        return not any([self.source, self.category, self.price_min_fen is not None, self.price_max_fen is not None,
                        self.rate_min_bp is not None, self.rate_max_bp is not None, self.sort, self.q.strip()])

    def validate(self, *, names: dict[str, str] | None = None) -> PoolFilters:
        """Reject impossible filters with the field's name (``names`` maps to the caller's field names)."""
        names = names or {}
        from django.utils.translation import gettext as _

        if self.source and self.source not in ProductSource.values:
            raise InvalidInput(_("Unknown source."), field=names.get("source", "source"))
        if self.sort and self.sort not in POOL_SORTS:
            raise InvalidInput(_("Sort by commission, sales or price."), field=names.get("sort", "sort"))
        for field in ("price_min_fen", "price_max_fen", "rate_min_bp", "rate_max_bp"):
            value = getattr(self, field)
            if value is not None and value < 0:
                raise InvalidInput(_("Cannot be negative."), field=names.get(field, field))
        if None not in (self.price_min_fen, self.price_max_fen) and self.price_min_fen > self.price_max_fen:
            raise InvalidInput(_("The lowest price is above the highest price."),
                               field=names.get("price_min_fen", "price_min_fen"))
        if None not in (self.rate_min_bp, self.rate_max_bp) and self.rate_min_bp > self.rate_max_bp:
            raise InvalidInput(_("The lowest commission rate is above the highest."),
                               field=names.get("rate_min_bp", "rate_min_bp"))
        return self


def _visible_sources_q(user) -> Q:
    """Shop (小店) products are only for their own shop's account; everything else is for everyone."""
    shop_id = _own_shop_id(user)
    if shop_id is None:
        return ~Q(source=ProductSource.SHOP)
    return ~Q(source=ProductSource.SHOP) | Q(shop_external_id=str(shop_id))


def _own_shop_id(user) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_affiliates_shop_id"):
        user._affiliates_shop_id = Shop.objects.filter(owner=user).values_list("pk", flat=True).first()
    return user._affiliates_shop_id


def pool_products(*, filters: PoolFilters, user=None) -> QuerySet[Product]:
    """Products a creator may add: passed the gate, on sale, promotable, filtered and sorted.

    With nothing chosen: Taobao Union's recommended hot sellers by sales (or, before any
    were imported, the whole pool by sales). A keyword finds the products that have every
    one of its words (best sellers first, or in the sort chosen).
    """
    qs = Product.objects.filter(POOL_CONDITION).filter(_visible_sources_q(user))
    if filters.is_empty:
        hot = qs.filter(source=ProductSource.TAOBAO, is_recommended=True)
        return (hot if hot.exists() else qs).order_by(*POOL_SORTS["sales"])
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.price_min_fen is not None:
        qs = qs.filter(price_fen__gte=filters.price_min_fen)
    if filters.price_max_fen is not None:
        qs = qs.filter(price_fen__lte=filters.price_max_fen)
    if filters.rate_min_bp is not None:
        qs = qs.filter(commission_rate_bp__gte=filters.rate_min_bp)
    if filters.rate_max_bp is not None:
        qs = qs.filter(commission_rate_bp__lte=filters.rate_max_bp)
    if filters.q.strip():
        qs = keyword_filter(qs, filters.q)
    return qs.order_by(*POOL_SORTS[filters.sort or "sales"])


def pool_categories(*, source: str = "", limit: int = 40) -> list[str]:
    """The pool's biggest categories (for the filter), cached for a few minutes."""
    key = f"affiliates:pool_categories:{source or 'all'}:{limit}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    qs = Product.objects.filter(POOL_CONDITION).exclude(category="").exclude(source=ProductSource.SHOP)
    if source:
        qs = qs.filter(source=source)
    names = list(qs.values("category").annotate(n=Count("id")).order_by("-n", "category")
                 .values_list("category", flat=True)[:limit])
    cache.set(key, names, 300)
    return names


def product_visible(*, pk: int, user=None) -> Product | None:
    """One product for its detail page or API: any source, but shop products only for their shop."""
    return Product.objects.filter(_visible_sources_q(user)).filter(pk=pk).first()


# --- merchants ---------------------------------------------------------------------------------
def shop_for_owner(user) -> Shop | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Shop.objects.filter(owner=user).first()


def merchant_products(*, shop: Shop, status: str = "") -> QuerySet[ShopProduct]:
    """The merchant back office's product list with its price range and stock per product."""
    active = Q(skus__is_active=True)
    qs = ShopProduct.objects.filter(shop=shop).annotate(
        min_price_fen=Min("skus__price_fen", filter=active),
        total_stock=Sum("skus__stock", filter=active),
        sku_count=Count("skus", filter=active),
    ).prefetch_related("images")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def merchant_product(*, shop: Shop | None, pk: int) -> ShopProduct | None:
    """One of this shop's products, or None (someone else's product is a 404, not a 403)."""
    if shop is None:
        return None
    return ShopProduct.objects.filter(shop=shop, pk=pk).prefetch_related("images").first()
