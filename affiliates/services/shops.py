"""Native shops (小店): opening a shop, products with SKUs and images, alliance listing.

Every change to a shop product ends with ``shop_product_catalog_sync``, which mirrors it into
the pool (``Product`` rows of source "shop" and, while listed, "alliance").
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from core.errors import Conflict, InvalidInput
from core.money import bp_to_percent

from ..models import (
    Product,
    ProductSource,
    Shop,
    ShopCategory,
    ShopProduct,
    ShopProductImage,
    ShopProductStatus,
    Sku,
    phone_validator,
)
from ..sources.base import ProductInfo, ShopInfo
from ..stock_flags import sku_stock_flags_on_commit
from .products import product_upsert_many


@dataclass(frozen=True)
class SkuData:
    name: str
    price_fen: int
    stock: int
    id: int | None = None


def _text(value: str, *, field: str, label, max_length: int, min_length: int = 1) -> str:
    value = (value or "").strip()
    if len(value) < min_length:
        raise InvalidInput(_("%(label)s is required.") % {"label": label} if min_length <= 1 else
                           _("%(label)s needs at least %(n)s characters.") % {"label": label, "n": min_length},
                           field=field, code="required")
    if len(value) > max_length:
        raise InvalidInput(_("%(label)s can be at most %(n)s characters.") % {"label": label, "n": max_length},
                           field=field, code="max_length")
    return value


def _category(value: str, field: str = "category") -> str:
    if value not in ShopCategory.values:
        raise InvalidInput(_("Choose a category from the list."), field=field, code="invalid_choice")
    return value


# --- shop -------------------------------------------------------------------------------------
def shop_open(*, owner, name: str, category: str, contact_name: str, contact_phone: str) -> Shop:
    """Open the user's shop (one per user) from the showcase entry 开通小店."""
    name = _text(name, field="name", label=_("Shop name"), max_length=30, min_length=2)
    category = _category(category)
    contact_name = _text(contact_name, field="contact_name", label=_("Contact name"), max_length=30)
    contact_phone = (contact_phone or "").strip()
    try:
        phone_validator(contact_phone)
    except Exception:
        raise InvalidInput(_("Enter an 11-digit mobile number starting with 1."), field="contact_phone",
                           code="invalid_phone")
    if Shop.objects.filter(owner=owner).exists():
        raise Conflict(_("You already have a shop."), code="shop_exists")
    if Shop.objects.filter(name__iexact=name).exists():
        raise InvalidInput(_("A shop with this name already exists."), field="name", code="unique")
    try:
        with transaction.atomic():
            return Shop.objects.create(owner=owner, name=name, category=category, contact_name=contact_name,
                                       contact_phone=contact_phone)
    except IntegrityError:
        # Two requests at once: whichever constraint fired, say which rule it was.
        if Shop.objects.filter(owner=owner).exists():
            raise Conflict(_("You already have a shop."), code="shop_exists")
        raise InvalidInput(_("A shop with this name already exists."), field="name", code="unique")


# --- products -----------------------------------------------------------------------------------
def shop_product_public_id() -> str:
    """A fresh 19-digit product id, the shape of Douyin's (and of the links the resolver reads)."""
    while True:
        candidate = str(10**18 + secrets.randbelow(9 * 10**18))  # 19 digits, like Douyin's ids
        if not ShopProduct.objects.filter(public_id=candidate).exists():
            return candidate


def _clean_skus(skus: list[SkuData]) -> list[SkuData]:
    if not skus:
        raise InvalidInput(_("Add at least one SKU with a price and stock."), field="skus", code="required")
    if len(skus) > settings.SHOP_PRODUCT_MAX_SKUS:
        raise InvalidInput(_("A product can have at most %(n)s SKUs.") % {"n": settings.SHOP_PRODUCT_MAX_SKUS},
                           field="skus", code="max_skus")
    seen: set[str] = set()
    cleaned = []
    for i, sku in enumerate(skus):
        name = _text(sku.name, field=f"skus.{i}.name", label=_("Spec"), max_length=40)
        if name in seen:
            raise InvalidInput(_("Two SKUs cannot have the same spec “%(name)s”.") % {"name": name},
                               field=f"skus.{i}.name", code="duplicate")
        seen.add(name)
        if not isinstance(sku.price_fen, int) or sku.price_fen <= 0:
            raise InvalidInput(_("Price must be more than ¥0."), field=f"skus.{i}.price_fen", code="min_value")
        if sku.price_fen > settings.SHOP_SKU_MAX_PRICE_FEN:
            raise InvalidInput(_("Price can be at most ¥%(max)s.") % {"max": settings.SHOP_SKU_MAX_PRICE_FEN // 100},
                               field=f"skus.{i}.price_fen", code="max_value")
        if not isinstance(sku.stock, int) or sku.stock < 0:
            raise InvalidInput(_("Stock must be a whole number, 0 or more."), field=f"skus.{i}.stock",
                               code="min_value")
        if sku.stock > settings.SHOP_SKU_MAX_STOCK:
            raise InvalidInput(_("Stock can be at most %(max)s.") % {"max": settings.SHOP_SKU_MAX_STOCK},
                               field=f"skus.{i}.stock", code="max_value")
        cleaned.append(SkuData(name=name, price_fen=sku.price_fen, stock=sku.stock, id=sku.id))
    return cleaned


def _product_fields(title: str, description: str, category: str) -> dict:
    return {
        "title": _text(title, field="title", label=_("Title"), max_length=60, min_length=2),
        "description": (description or "").strip()[:5000],
        "category": _category(category),
    }


@transaction.atomic
def shop_product_create(*, shop: Shop, title: str, category: str, skus: list[SkuData],
                        description: str = "") -> ShopProduct:
    """A new product in the shop, as a draft (publish puts it on sale)."""
    fields = _product_fields(title, description, category)
    cleaned = _clean_skus(skus)
    product = ShopProduct.objects.create(shop=shop, public_id=shop_product_public_id(), **fields)
    Sku.objects.bulk_create([
        Sku(product=product, name=s.name, price_fen=s.price_fen, stock=s.stock, position=i)
        for i, s in enumerate(cleaned)
    ])
    shop_product_catalog_sync(shop_product=product)
    return product


@transaction.atomic
def shop_product_update(*, product: ShopProduct, title: str, category: str, skus: list[SkuData],
                        description: str = "") -> ShopProduct:
    """Edit a product and its SKUs: SKUs with an id are updated, new ones added, missing ones retired.

    Retired SKUs stay in the table (inactive) so past orders keep pointing at them.
    """
    fields = _product_fields(title, description, category)
    cleaned = _clean_skus(skus)
    # Stock moves under orders too: lock this product's SKUs in pk order before rewriting them.
    current = {s.pk: s for s in Sku.objects.select_for_update().filter(product=product).order_by("pk")}
    active_ids = {pk for pk, s in current.items() if s.is_active}
    for i, data in enumerate(cleaned):
        if data.id is not None and data.id not in active_ids:
            raise InvalidInput(_("This SKU does not belong to the product."), field=f"skus.{i}.id", code="invalid")
    keep = {d.id for d in cleaned if d.id is not None}
    retire = [current[pk] for pk in active_ids - keep]
    for sku in retire:
        sku.is_active = False
    if retire:
        Sku.objects.bulk_update(retire, ["is_active"])
    by_name_inactive = {s.name: s for s in current.values() if not s.is_active}
    changed, created = [], []
    for i, data in enumerate(cleaned):
        sku = current.get(data.id) if data.id is not None else by_name_inactive.pop(data.name, None)
        if sku is None:
            created.append(Sku(product=product, name=data.name, price_fen=data.price_fen, stock=data.stock,
                               position=i))
            continue
        sku.name, sku.price_fen, sku.stock, sku.position, sku.is_active = (
            data.name, data.price_fen, data.stock, i, True)
        changed.append(sku)
    if changed:
        # Two steps so that swapping two specs' names never trips the unique-name constraint.
        for sku in changed:
            sku.is_active = False
        Sku.objects.bulk_update(changed, ["is_active"])
        for sku in changed:
            sku.is_active = True
        Sku.objects.bulk_update(changed, ["name", "price_fen", "stock", "position", "is_active"])
    if created:
        Sku.objects.bulk_create(created)
    sku_stock_flags_on_commit({s.pk: (s.stock if s.is_active else 0) for s in [*changed, *retire]})
    for key, value in fields.items():
        setattr(product, key, value)
    product.save(update_fields=[*fields, "updated_at"])
    shop_product_catalog_sync(shop_product=product)
    return product


def _validate_image(upload) -> None:
    if upload is None:
        raise InvalidInput(_("Choose an image to upload."), field="image", code="required")
    if upload.size > settings.SHOP_IMAGE_MAX_BYTES:
        raise InvalidInput(_("The image is larger than %(mb)s MB.") % {"mb": settings.SHOP_IMAGE_MAX_BYTES // 2**20},
                           field="image", code="file_too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as img:
            fmt = img.format
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InvalidInput(_("The file is not an image we can read."), field="image", code="invalid_image")
    finally:
        upload.seek(0)
    if fmt not in settings.SHOP_IMAGE_FORMATS:
        raise InvalidInput(_("Use a %(formats)s image.") % {"formats": "/".join(settings.SHOP_IMAGE_FORMATS)},
                           field="image", code="invalid_format")


@transaction.atomic
def shop_product_image_add(*, product: ShopProduct, image) -> ShopProductImage:
    _validate_image(image)
    ShopProduct.objects.select_for_update().filter(pk=product.pk).first()  # serialise the count check
    count = product.images.count()
    if count >= settings.SHOP_PRODUCT_MAX_IMAGES:
        raise InvalidInput(_("A product can have at most %(n)s images.") % {"n": settings.SHOP_PRODUCT_MAX_IMAGES},
                           field="image", code="max_images")
    row = ShopProductImage.objects.create(product=product, image=image, position=count)
    shop_product_catalog_sync(shop_product=product)
    return row


@transaction.atomic
def shop_product_image_delete(*, image: ShopProductImage) -> None:
    product = image.product
    if product.status == ShopProductStatus.ON_SALE and product.images.count() <= 1:
        raise InvalidInput(_("A product on sale needs at least one image; take it off sale first."),
                           field="image", code="last_image")
    image.image.delete(save=False)
    image.delete()
    shop_product_catalog_sync(shop_product=product)


@transaction.atomic
def shop_product_publish(*, product: ShopProduct) -> ShopProduct:
    """Put a product on sale: it needs at least one image and one active SKU."""
    if not product.images.exists():
        raise InvalidInput(_("Upload at least one image before putting the product on sale."), field="image",
                           code="no_image")
    if not product.skus.filter(is_active=True).exists():
        raise InvalidInput(_("Add at least one SKU with a price and stock."), field="skus", code="required")
    if product.status != ShopProductStatus.ON_SALE:
        product.status = ShopProductStatus.ON_SALE
        product.save(update_fields=["status", "updated_at"])
    shop_product_catalog_sync(shop_product=product)
    return product


@transaction.atomic
def shop_product_unpublish(*, product: ShopProduct) -> ShopProduct:
    if product.status == ShopProductStatus.ON_SALE:
        product.status = ShopProductStatus.OFF_SALE
        product.save(update_fields=["status", "updated_at"])
    shop_product_catalog_sync(shop_product=product)
    return product


@transaction.atomic
def shop_product_alliance_list(*, product: ShopProduct, rate_bp: int) -> ShopProduct:
    """Offer the product to every creator in the alliance (精选联盟) at this commission rate."""
    low, high = settings.ALLIANCE_RATE_MIN_BP, settings.ALLIANCE_RATE_MAX_BP
    if not isinstance(rate_bp, int) or not low <= rate_bp <= high:
        raise InvalidInput(
            _("Commission rate must be between %(min)s and %(max)s.") % {"min": bp_to_percent(low),
                                                                         "max": bp_to_percent(high)},
            field="commission_rate", code="out_of_range")
    if product.alliance_rate_bp != rate_bp:
        product.alliance_rate_bp = rate_bp
        product.alliance_listed_at = product.alliance_listed_at or timezone.now()
        product.save(update_fields=["alliance_rate_bp", "alliance_listed_at", "updated_at"])
    shop_product_catalog_sync(shop_product=product)
    return product


@transaction.atomic
def shop_product_alliance_unlist(*, product: ShopProduct) -> ShopProduct:
    if product.alliance_rate_bp is not None:
        product.alliance_rate_bp = None
        product.alliance_listed_at = None
        product.save(update_fields=["alliance_rate_bp", "alliance_listed_at", "updated_at"])
    shop_product_catalog_sync(shop_product=product)
    return product


def shop_product_catalog_sync(*, shop_product: ShopProduct) -> None:
    """Mirror a shop product into the pool; writes nothing when the mirror is already current.

    Call it after anything that changes what a creator sees: price, stock, images, status,
    alliance rate (the orders room calls it after stock moves).
    """
    sp = ShopProduct.objects.select_related("shop").get(pk=shop_product.pk)
    skus = list(sp.skus.filter(is_active=True).values_list("price_fen", "stock"))
    stock = sum(s for _, s in skus)
    images = [img.image.url for img in sp.images.all()]
    with translation.override(settings.LANGUAGE_CODE):
        category_label = str(ShopCategory(sp.category).label)
    available = sp.status == ShopProductStatus.ON_SALE and sp.shop.is_active and bool(skus) and stock > 0
    base = {
        "external_id": sp.public_id, "title": sp.title, "price_fen": min((p for p, _ in skus), default=0),
        "image_urls": images, "category": category_label, "category_id": sp.category,
        "shop": ShopInfo(shop_id=str(sp.shop_id), name=sp.shop.name), "sales_volume": sp.sales_volume,
        "available": available, "item_url": settings.SHOP_PRODUCT_URL_TEMPLATE.format(id=sp.public_id),
    }
    infos = [ProductInfo(source=ProductSource.SHOP.value, commission_rate_bp=0, **base)]
    if sp.alliance_rate_bp is not None:
        infos.append(ProductInfo(source=ProductSource.ALLIANCE.value, commission_rate_bp=sp.alliance_rate_bp, **base))
    elif Product.objects.filter(source=ProductSource.ALLIANCE, external_id=sp.public_id).exists():
        # Unlisted: the row stays for showcases that point at it, but leaves the pool.
        infos.append(ProductInfo(source=ProductSource.ALLIANCE.value, commission_rate_bp=0, promotable=False, **base))
    mirrors = Product.objects.filter(source__in=[ProductSource.SHOP, ProductSource.ALLIANCE], external_id=sp.public_id)
    flipped = [pk for pk, was in mirrors.values_list("pk", "available") if was != available]
    product_upsert_many(infos=infos)
    mirrors.filter(shop_product__isnull=True).update(shop_product=sp)
    if flipped:
        from ..signals import products_availability_changed

        transaction.on_commit(lambda: products_availability_changed.send(sender=Product, product_ids=flipped))


def shop_total_stock(product: ShopProduct) -> int:
    return product.skus.filter(is_active=True).aggregate(total=Sum("stock"))["total"] or 0
