"""The product pool, the quality gate's rules, and native shops (小店) with their SKUs.

One ``Product`` table holds every source's items in one shape, unique per
(source, external_id). The five outside sources (taobao, jd, kaola, vip, suning) are written
only by ``product_upsert_many`` from what their clients return.

How native products map (shops 小店 and the alliance 精选联盟):

* A merchant's item lives in ``ShopProduct`` with its ``Sku`` rows: the native tables own the
  title, images, price and stock (stock is a non-negative integer on each SKU). Its public id
  is a 19-digit number, the same shape as Douyin's ``haohuo`` links.
* Every ``ShopProduct`` is mirrored as one ``Product(source="shop", external_id=<public id>)``:
  what the merchant's own showcase adds (the guide: after opening a shop, its products show up
  on the add-products page of the shop's own account).
* When the merchant lists it in the alliance with a commission rate, a second row
  ``Product(source="alliance", external_id=<public id>)`` carries that rate and appears in every
  creator's pool. Unlisting keeps the row (showcases may point at it) but makes it
  not promotable, so it leaves the pool.
* Both mirror rows are rewritten by ``shop_product_catalog_sync`` through the same upsert as
  outside sources, so search tokens and gate results are computed in one place. Price is the
  cheapest active SKU; availability is "on sale and some stock left".
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel


class ProductSource(models.TextChoices):
    """The seven sources of the guide (values equal ``affiliates.sources.base.Source``)."""

    TAOBAO = "taobao", _("Taobao/Tmall")
    ALLIANCE = "alliance", _("Selected Alliance")
    SHOP = "shop", _("Douyin Shop")
    JD = "jd", _("JD")
    KAOLA = "kaola", _("Kaola")
    VIP = "vip", _("Vipshop")
    SUNING = "suning", _("Suning")


# The pool shows only what passed the gate and the source still sells and lets us promote.
POOL_CONDITION = Q(gate_passed=True, available=True, promotable=True)


class Category(models.Model):
    """One node of a source's category tree (filled by ``manage.py sync_categories``).

    ``path_ids`` ("/top/…/this/") and ``path_names`` ("top/…/this") store the ancestors, so
    "is X under Y" is one indexed prefix lookup: ``path_ids__startswith=Y.path_ids``.
    """

    source = models.CharField(_("source"), max_length=16, choices=ProductSource.choices)
    source_category_id = models.CharField(_("source category id"), max_length=64)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    is_leaf = models.BooleanField(_("leaf"), default=False)
    path_ids = models.CharField(_("ancestor ids"), max_length=500, db_index=True)
    path_names = models.CharField(_("path"), max_length=500)
    synced_at = models.DateTimeField(_("synced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["source", "path_names"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_category_id"], name="category_source_id_unique"),
        ]
        indexes = [
            models.Index(fields=["source", "path_ids"], name="category_source_path",
                         opclasses=["varchar_pattern_ops", "varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.path_names}"


class Product(models.Model):
    source = models.CharField(_("source"), max_length=16, choices=ProductSource.choices)
    external_id = models.CharField(_("external id"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    image_urls = models.JSONField(_("images"), default=list, blank=True)
    price_fen = models.BigIntegerField(_("price (fen)"))
    original_price_fen = models.BigIntegerField(_("original price (fen)"), null=True, blank=True)
    coupon_fen = models.BigIntegerField(_("coupon (fen)"), default=0)
    commission_rate_bp = models.PositiveIntegerField(_("commission rate (bp)"))
    category = models.CharField(_("category"), max_length=100, blank=True)
    category_id = models.CharField(_("category id"), max_length=64, blank=True)
    # The category and its ancestors, top first ("医疗器械/家用医疗器械"): banned-category rules
    # on any ancestor cover the product.
    category_path = models.CharField(_("category path"), max_length=300, blank=True, default="")
    # The leaf of the source's category tree this product sits under, and its ancestor ids
    # ("/top/…/leaf/", Category.path_ids) stored at upsert so rules on a node match by prefix.
    category_node = models.ForeignKey(Category, verbose_name=_("category node"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="products")
    category_path_ids = models.CharField(_("category ancestor ids"), max_length=500, blank=True, default="",
                                         db_index=True)
    # The shop as the source reports it; DSR scores and their industry averages ×100.
    shop_external_id = models.CharField(_("shop id"), max_length=64, blank=True)
    shop_name = models.CharField(_("shop name"), max_length=100, blank=True)
    shop_credit_level = models.SmallIntegerField(_("shop level"), null=True, blank=True)
    shop_dsr_description = models.SmallIntegerField(_("description score ×100"), null=True, blank=True)
    shop_dsr_service = models.SmallIntegerField(_("service score ×100"), null=True, blank=True)
    shop_dsr_logistics = models.SmallIntegerField(_("logistics score ×100"), null=True, blank=True)
    industry_dsr_description = models.SmallIntegerField(_("industry description ×100"), null=True, blank=True)
    industry_dsr_service = models.SmallIntegerField(_("industry service ×100"), null=True, blank=True)
    industry_dsr_logistics = models.SmallIntegerField(_("industry logistics ×100"), null=True, blank=True)
    # JD ranks each score against the industry instead of giving averages: high / medium / low.
    shop_grade_description = models.CharField(_("description vs industry"), max_length=8, blank=True)
    shop_grade_service = models.CharField(_("service vs industry"), max_length=8, blank=True)
    shop_grade_logistics = models.CharField(_("logistics vs industry"), max_length=8, blank=True)
    # JD's overall shop score (店铺评分, 0–5) ×100.
    shop_score = models.SmallIntegerField(_("shop score ×100"), null=True, blank=True)
    # tmall / taobao, self / pop (JD self-operated or not); empty where unknown.
    shop_type = models.CharField(_("shop type"), max_length=8, blank=True)
    sales_volume = models.BigIntegerField(_("sales"), default=0)
    available = models.BooleanField(_("available"), default=True)
    promotable = models.BooleanField(
        _("promotable"), default=True,
        help_text=_("False when the item is outside the source's affiliate programme (e.g. not in Taobao Union)."),
    )
    item_url = models.URLField(_("item link"), max_length=1000, blank=True)
    # One of the source's recommended hot sellers (Taobao Union's default list).
    is_recommended = models.BooleanField(_("recommended hot seller"), default=False)
    # jieba tokens of title and category, space separated and padded: " 纯棉 短袖 t恤 ".
    search_tokens = models.TextField(_("search tokens"), blank=True, default="")
    gate_passed = models.BooleanField(_("passed quality gate"), default=False)
    gate_failures = models.JSONField(_("gate failures"), default=list, blank=True)
    gate_checked_at = models.DateTimeField(_("gate checked at"), null=True, blank=True)
    # Hash of the source content and the gate rules it was checked against: equal → no write.
    content_hash = models.CharField(_("content hash"), max_length=32)
    last_synced_at = models.DateTimeField(_("last changed by sync"), null=True, blank=True)
    shop_product = models.ForeignKey(
        "ShopProduct", verbose_name=_("shop product"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="catalog_products",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="product_source_external_id_uniq"),
            models.CheckConstraint(condition=Q(price_fen__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(condition=Q(commission_rate_bp__lte=10000), name="product_rate_at_most_100pct"),
        ]
        indexes = [
            models.Index(fields=["-sales_volume"], condition=POOL_CONDITION, name="product_pool_sales"),
            models.Index(fields=["-commission_rate_bp"], condition=POOL_CONDITION, name="product_pool_rate"),
            models.Index(fields=["price_fen"], condition=POOL_CONDITION, name="product_pool_price"),
            models.Index(fields=["source", "-sales_volume"], condition=POOL_CONDITION, name="product_pool_src_sales"),
            models.Index(fields=["category", "-sales_volume"], condition=POOL_CONDITION, name="product_pool_cat_sales"),
            models.Index(fields=["source", "-sales_volume"], condition=POOL_CONDITION & Q(is_recommended=True),
                         name="product_pool_hot"),
            models.Index(fields=["gate_passed", "source"], name="product_gate_source"),
        ]

    def __str__(self) -> str:
        return f"[{self.get_source_display()}] {self.title}"

    @property
    def image_url(self) -> str:
        return self.image_urls[0] if self.image_urls else ""


class GateThreshold(TimeStampedModel):
    """The quality gate's shop rules for one source; without a row, settings apply."""

    source = models.CharField(_("source"), max_length=16, choices=ProductSource.choices, unique=True)
    active = models.BooleanField(_("active"), default=True)
    credit_level_above = models.PositiveSmallIntegerField(
        _("shop level must be above"), null=True, blank=True,
        help_text=_("Taobao seller levels run 1–20; 6 is one diamond, so 6 means 'above one diamond'. "
                    "Empty: no level rule."),
    )
    dsr_above_average = models.BooleanField(
        _("each shop score above the industry average"), default=True,
        help_text=_("Description, service and logistics must each be strictly above the industry average "
                    "(where a source ranks scores against the industry instead, as JD does, each must rank high)."),
    )
    dsr_min_rank = models.CharField(
        _("lowest rank against peers"), max_length=8, default="high",
        choices=[("high", pgettext_lazy("industry rank", "high")), ("medium", pgettext_lazy("industry rank", "medium"))],
        help_text=_("Where a source ranks each score against its peers instead of giving averages (JD): "
                    "the rank every score must reach."),
    )
    shop_score_above = models.PositiveSmallIntegerField(
        _("shop score must be above ×100"), null=True, blank=True,
        help_text=_("JD's overall shop score (店铺评分, 0–5) ×100: 400 means above 4.00. Empty: no rule."),
    )
    dsr_min_score = models.PositiveSmallIntegerField(
        _("minimum shop score ×100"), null=True, blank=True,
        help_text=_("Each score must be at least this (×100, 4.80 → 480). Used where the source gives "
                    "no industry averages. Empty: no minimum."),
    )

    class Meta:
        verbose_name = _("quality gate threshold")
        verbose_name_plural = _("quality gate thresholds")

    def __str__(self) -> str:
        return f"{self.get_source_display()}"


class BannedCategory(TimeStampedModel):
    """An admin-edited rule: products of this category are refused, for one source or all.

    A rule on a tree node (``node``) covers the node's whole subtree; the old-style rules by
    name (any level of the product's category path) or by the source's category id still work.
    """

    source = models.CharField(_("source"), max_length=16, choices=ProductSource.choices, blank=True,
                              help_text=_("Empty: every source."))
    node = models.ForeignKey(Category, verbose_name=_("category node"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="banned_rules",
                             help_text=_("Covers this node and everything under it."))
    category_name = models.CharField(_("category name"), max_length=100, blank=True,
                                     help_text=_("Matches the category or any level of a category path."))
    category_id = models.CharField(_("category id"), max_length=64, blank=True)
    rule_name = models.CharField(_("rule name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("banned category")
        verbose_name_plural = _("banned categories")
        ordering = ["source", "category_name"]
        constraints = [
            models.CheckConstraint(condition=~Q(category_name="") | ~Q(category_id="") | Q(node__isnull=False),
                                   name="banned_category_has_node_name_or_id"),
        ]

    def clean(self):
        super().clean()
        if self.node_id and self.source and self.node.source != self.source:
            raise ValidationError({"node": _("Choose a category of the rule's source (%(source)s), or leave the "
                                             "source empty.") % {"source": self.get_source_display()}})
        if not (self.node_id or self.category_name.strip() or self.category_id.strip()):
            raise ValidationError({"node": _("Choose a category node, or give a category name or id.")})

    def __str__(self) -> str:
        where = self.get_source_display() if self.source else _("every source")
        what = self.node.path_names if self.node_id else (self.category_name or self.category_id)
        return f"{where}: {what} ({self.rule_name})"


# --- native shops (小店) ------------------------------------------------------------------------
class ShopCategory(models.TextChoices):
    APPAREL = "apparel", _("Apparel & underwear")
    BEAUTY = "beauty", _("Beauty & personal care")
    FOOD = "food", _("Food & drinks")
    HOME = "home", _("Home & daily use")
    BABY = "baby", _("Mother, baby & toys")
    DIGITAL = "digital", _("Digital & appliances")
    SPORTS = "sports", _("Sports & outdoors")
    BOOKS = "books", _("Books & culture")
    JEWELRY = "jewelry", _("Jewelry & accessories")
    OTHER = "other", _("Other")


phone_validator = RegexValidator(r"^1\d{10}$", _("Enter an 11-digit mobile number starting with 1."),
                                 code="invalid_phone")


class Shop(TimeStampedModel):
    owner = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
                                 related_name="shop")
    name = models.CharField(_("shop name"), max_length=30, unique=True,
                            error_messages={"unique": _("A shop with this name already exists.")})
    category = models.CharField(_("main category"), max_length=16, choices=ShopCategory.choices)
    contact_name = models.CharField(_("contact name"), max_length=30)
    contact_phone = models.CharField(_("contact phone"), max_length=11, validators=[phone_validator])
    is_active = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")

    def __str__(self) -> str:
        return self.name


class ShopProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ON_SALE = "on_sale", _("On sale")
    OFF_SALE = "off_sale", _("Off sale")


class ShopProduct(TimeStampedModel):
    shop = models.ForeignKey(Shop, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="products")
    public_id = models.CharField(_("product id"), max_length=19, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=60)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    category = models.CharField(_("category"), max_length=16, choices=ShopCategory.choices)
    status = models.CharField(_("status"), max_length=16, choices=ShopProductStatus.choices,
                              default=ShopProductStatus.DRAFT)
    # Listed in the alliance (精选联盟) when set: the commission rate offered to every creator.
    alliance_rate_bp = models.PositiveIntegerField(
        _("alliance commission rate (bp)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
    )
    alliance_listed_at = models.DateTimeField(_("listed in the alliance at"), null=True, blank=True)
    sales_volume = models.PositiveIntegerField(_("sales"), default=0)

    class Meta:
        verbose_name = _("shop product")
        verbose_name_plural = _("shop products")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(alliance_rate_bp__isnull=True) | Q(alliance_rate_bp__gte=1, alliance_rate_bp__lte=10000),
                name="shop_product_alliance_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def in_alliance(self) -> bool:
        return self.alliance_rate_bp is not None


class Sku(models.Model):
    """One sellable variant: its spec, price and stock. Removed SKUs are kept inactive."""

    product = models.ForeignKey(ShopProduct, verbose_name=_("product"), on_delete=models.CASCADE,
                                related_name="skus")
    name = models.CharField(_("spec"), max_length=40)
    price_fen = models.BigIntegerField(_("price (fen)"))
    stock = models.PositiveIntegerField(_("stock"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="sku_stock_not_negative"),
            models.CheckConstraint(condition=Q(price_fen__gt=0), name="sku_price_positive"),
            models.UniqueConstraint(fields=["product", "name"], condition=Q(is_active=True),
                                    name="sku_active_name_uniq_per_product"),
        ]

    def __str__(self) -> str:
        return self.name


class ShopProductImage(models.Model):
    product = models.ForeignKey(ShopProduct, verbose_name=_("product"), on_delete=models.CASCADE,
                                related_name="images")
    image = models.ImageField(_("image"), upload_to="shop_products/%Y/%m/")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.image.name
