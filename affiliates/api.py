"""REST API of the product pool, the paste box and the merchant back office (thin views)."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import InvalidInput, NotFound
from core.money import apply_rate
from core.openapi import SOURCE_ERRORS, error_responses

from . import gate, selectors, services
from .models import Product, ProductSource, Shop, ShopCategory, ShopProduct, ShopProductImage, Sku
from .resolver import product_resolve
from .selectors import POOL_SORTS, PoolFilters


# --- pool ----------------------------------------------------------------------------------------
class ProductSerializer(serializers.ModelSerializer):
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    estimated_commission_fen = serializers.SerializerMethodField()
    shop = serializers.SerializerMethodField()
    gate_failures = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id", "source", "source_label", "external_id", "title", "image_urls", "price_fen",
            "original_price_fen", "coupon_fen", "commission_rate_bp", "estimated_commission_fen", "category",
            "category_id", "shop", "sales_volume", "available", "promotable", "item_url", "is_recommended",
            "gate_passed", "gate_failures", "gate_checked_at", "last_synced_at",
        ]
        read_only_fields = fields

    def get_estimated_commission_fen(self, obj: Product) -> int:
        return apply_rate(obj.price_fen, obj.commission_rate_bp)

    def get_shop(self, obj: Product) -> dict:
        return {
            "id": obj.shop_external_id, "name": obj.shop_name, "credit_level": obj.shop_credit_level,
            "shop_score": obj.shop_score, "shop_type": obj.shop_type,
            "dsr": {m: {"score": getattr(obj, f"shop_dsr_{m}"), "industry_average": getattr(obj, f"industry_dsr_{m}"),
                        "industry_rank": getattr(obj, f"shop_grade_{m}") or None}
                    for m in gate.DSR_METRICS},
        }

    def get_gate_failures(self, obj: Product) -> list[str]:
        return gate.failure_messages(obj.gate_failures)


def _int_param(params, name: str) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise InvalidInput(_("Enter a whole number."), field=name)


def pool_filters_from_api(params) -> PoolFilters:
    return PoolFilters(
        source=params.get("source", ""), category=params.get("category", "").strip(),
        price_min_fen=_int_param(params, "price_min_fen"), price_max_fen=_int_param(params, "price_max_fen"),
        rate_min_bp=_int_param(params, "rate_min_bp"), rate_max_bp=_int_param(params, "rate_max_bp"),
        sort=params.get("sort", ""), q=params.get("q", "")[:100],
    ).validate()


POOL_PARAMETERS = [
    OpenApiParameter("source", str, enum=ProductSource.values),
    OpenApiParameter("category", str),
    *[OpenApiParameter(name, {"type": "integer", "minimum": 0}, description=text) for name, text in (
        ("price_min_fen", "Lowest price, fen (0 or more)."), ("price_max_fen", "Highest price, fen (0 or more)."),
        ("rate_min_bp", "Lowest commission rate, basis points (0 or more)."),
        ("rate_max_bp", "Highest commission rate, basis points (0 or more)."))],
    OpenApiParameter("sort", str, enum=list(POOL_SORTS)),
    OpenApiParameter("q", str, description="Words every product title must have (Chinese is split into words); "
                                           "at most 100 characters are read."),
]


@extend_schema_view(get=extend_schema(parameters=POOL_PARAMETERS))
class PoolListApi(generics.ListAPIView):
    """The pool a creator picks from: filter by source, category, price (fen) and commission
    rate (bp); sort by ``commission``, ``sales``, ``price`` or ``price_desc``; ``q`` searches
    Chinese titles. With nothing chosen: Taobao Union's recommended hot sellers."""

    serializer_class = ProductSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.pool_products(filters=pool_filters_from_api(self.request.query_params),
                                       user=self.request.user)


class ProductDetailApi(generics.RetrieveAPIView):
    serializer_class = ProductSerializer
    permission_classes = [permissions.AllowAny]

    def get_object(self):
        product = selectors.product_visible(pk=self.kwargs["pk"], user=self.request.user)
        if product is None:
            raise NotFound(_("No such product."))
        return product


class ResolveInput(serializers.Serializer):
    text = serializers.CharField(max_length=settings.RESOLVER_MAX_PASTE_CHARS, trim_whitespace=True,
                                 allow_blank=True)


class ProductResolveApi(APIView):
    """POST ``{"text": "<淘口令, share text or link>"}`` → the product, ready to add (or a refusal)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ResolveInput, responses={200: ProductSerializer, **error_responses(*SOURCE_ERRORS)})
    def post(self, request):
        data = ResolveInput(data=request.data)
        data.is_valid(raise_exception=True)
        product = product_resolve(text=data.validated_data["text"], user=request.user)
        return Response(ProductSerializer(product).data)


# --- shop -------------------------------------------------------------------------------------------
class ShopSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shop
        fields = ["id", "name", "category", "contact_name", "contact_phone", "is_active", "created_at"]
        read_only_fields = ["id", "is_active", "created_at"]
        extra_kwargs = {"name": {"min_length": 2}, "contact_name": {"min_length": 1}}


class ShopApi(APIView):
    """GET your shop; POST opens it (one per user)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=ShopSerializer)
    def get(self, request):
        shop = selectors.shop_for_owner(request.user)
        if shop is None:
            raise NotFound(_("You have not opened a shop yet."))
        return Response(ShopSerializer(shop).data)

    @extend_schema(request=ShopSerializer, responses={201: ShopSerializer})
    def post(self, request):
        data = ShopSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        shop = services.shop_open(owner=request.user, **data.validated_data)
        return Response(ShopSerializer(shop).data, status=status.HTTP_201_CREATED)


class SkuSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sku
        fields = ["id", "name", "price_fen", "stock"]
        read_only_fields = fields


class ImageSerializer(serializers.ModelSerializer):
    url = serializers.ImageField(source="image", read_only=True)

    class Meta:
        model = ShopProductImage
        fields = ["id", "url", "position"]
        read_only_fields = fields


class ShopProductSerializer(serializers.ModelSerializer):
    skus = serializers.SerializerMethodField()
    images = ImageSerializer(many=True, read_only=True)

    class Meta:
        model = ShopProduct
        fields = ["id", "public_id", "title", "description", "category", "status", "alliance_rate_bp",
                  "alliance_listed_at", "sales_volume", "skus", "images", "created_at", "updated_at"]
        read_only_fields = ["id", "public_id", "status", "alliance_rate_bp", "alliance_listed_at", "sales_volume",
                            "skus", "images", "created_at", "updated_at"]

    def get_skus(self, obj: ShopProduct) -> list[dict]:
        return SkuSerializer([s for s in obj.skus.all() if s.is_active], many=True).data


class SkuInput(serializers.Serializer):
    """One SKU as ``skus`` items carry it (read by ``_skus_from_input``, checked by the service)."""

    id = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                  help_text="An existing SKU of the product, to change it; leave out for a new one.")
    name = serializers.CharField(min_length=1, max_length=40, help_text="The spec, unique in the product.")
    price_fen = serializers.IntegerField(min_value=1, validators=[
        MaxValueValidator(lambda: settings.SHOP_SKU_MAX_PRICE_FEN)])
    stock = serializers.IntegerField(min_value=0, validators=[MaxValueValidator(lambda: settings.SHOP_SKU_MAX_STOCK)])


@extend_schema_field(SkuInput(many=True))
class SkuListField(serializers.ListField):
    """``skus``: the service names a bad one exactly (``skus.0.price_fen``), so items stay dicts here."""

    child = serializers.DictField()


class TextField(serializers.CharField):
    """Text only: a number or a boolean where text belongs is refused, not turned into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ShopProductInput(serializers.Serializer):
    title = TextField(min_length=2, max_length=60, required=False)
    description = TextField(max_length=5000, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=ShopCategory.choices, required=False)
    skus = SkuListField(required=False, min_length=1, validators=[MaxLengthValidator(
        lambda: settings.SHOP_PRODUCT_MAX_SKUS, message=gettext_lazy("A product can have at most %(limit_value)s SKUs."))])


def _skus_from_input(raw: list[dict]) -> list[services.SkuData]:
    """Turn ``[{"id"?, "name", "price_fen", "stock"}]`` into SkuData, naming the bad field exactly."""
    result = []
    for i, item in enumerate(raw):
        values = {}
        for name in ("price_fen", "stock", "id"):
            value = item.get(name)
            if name == "id" and value in (None, ""):
                values[name] = None
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, str) and value.strip().lstrip("-").isdigit():
                    value = int(value)
                else:
                    message = {"price_fen": _("Price must be a whole number of fen."),
                               "stock": _("Stock must be a whole number, 0 or more."),
                               "id": _("Enter a whole number.")}[name]
                    raise InvalidInput(message, field=f"skus.{i}.{name}")
            if name == "id" and value < 1:
                raise InvalidInput(_("Enter a whole number."), field=f"skus.{i}.id")
            values[name] = value
        name = item.get("name", "")
        if not isinstance(name, str):
            raise InvalidInput(_("Enter the spec as text."), field=f"skus.{i}.name")
        result.append(services.SkuData(name=name, **values))
    return result


class MerchantMixin:
    permission_classes = [permissions.IsAuthenticated]

    def shop(self) -> Shop:
        shop = selectors.shop_for_owner(self.request.user)
        if shop is None:
            raise NotFound(_("Open a shop first."))
        return shop

    def get_queryset(self):
        return ShopProduct.objects.filter(shop=self.shop()).prefetch_related("skus", "images").order_by("-created_at")

    def product(self, pk) -> ShopProduct:
        product = self.get_queryset().filter(pk=pk).first()
        if product is None:  # another merchant's product is simply not there
            raise NotFound(_("No such product in your shop."))
        return product

    def respond(self, product: ShopProduct, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=product.pk)
        return Response(ShopProductSerializer(fresh, context={"request": self.request}).data, status=code)


class MerchantProductListApi(MerchantMixin, generics.ListAPIView):
    """Your shop's products; POST creates one (a draft) with its SKUs."""

    serializer_class = ShopProductSerializer

    @extend_schema(request=ShopProductInput, responses={201: ShopProductSerializer})
    def post(self, request):
        data = ShopProductInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        product = services.shop_product_create(
            shop=self.shop(), title=v.get("title", ""), description=v.get("description", ""),
            category=v.get("category", ""), skus=_skus_from_input(v.get("skus", [])))
        return self.respond(product, status.HTTP_201_CREATED)


class MerchantProductApi(MerchantMixin, APIView):
    """One product of your shop; PATCH changes title, description, category or SKUs."""

    serializer_class = ShopProductSerializer

    def get(self, request, pk):
        return self.respond(self.product(pk))

    @extend_schema(request=ShopProductInput, responses=ShopProductSerializer)
    def patch(self, request, pk):
        product = self.product(pk)
        data = ShopProductInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        skus = (_skus_from_input(v["skus"]) if "skus" in v else
                [services.SkuData(name=s.name, price_fen=s.price_fen, stock=s.stock, id=s.pk)
                 for s in product.skus.all() if s.is_active])
        services.shop_product_update(
            product=product, title=v.get("title", product.title), description=v.get("description", product.description),
            category=v.get("category", product.category), skus=skus)
        return self.respond(product)


class MerchantProductPublishApi(MerchantMixin, APIView):
    """POST publishes the product (shoppers and your showcase see it); DELETE takes it down."""

    @extend_schema(request=None, responses=ShopProductSerializer)
    def post(self, request, pk):
        return self.respond(services.shop_product_publish(product=self.product(pk)))

    @extend_schema(request=None, responses={200: ShopProductSerializer})
    def delete(self, request, pk):
        return self.respond(services.shop_product_unpublish(product=self.product(pk)))


class AllianceInput(serializers.Serializer):
    commission_rate_bp = serializers.IntegerField(validators=[  # settings: read when checked
        MinValueValidator(lambda: settings.ALLIANCE_RATE_MIN_BP), MaxValueValidator(lambda: settings.ALLIANCE_RATE_MAX_BP)],
        help_text="Basis points: 2000 = 20%.")


class MerchantProductAllianceApi(MerchantMixin, APIView):
    """POST ``{"commission_rate_bp": 2000}`` lists the product in the alliance; DELETE unlists it."""

    @extend_schema(request=AllianceInput, responses=ShopProductSerializer)
    def post(self, request, pk):
        product = self.product(pk)
        data = AllianceInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self.respond(services.shop_product_alliance_list(product=product,
                                                                rate_bp=data.validated_data["commission_rate_bp"]))

    @extend_schema(request=None, responses={200: ShopProductSerializer})
    def delete(self, request, pk):
        return self.respond(services.shop_product_alliance_unlist(product=self.product(pk)))


class MerchantProductImagesApi(MerchantMixin, APIView):
    """POST a multipart ``image`` to add one to the product."""

    @extend_schema(
        request={"multipart/form-data": inline_serializer("ShopProductImageUpload", {"image": serializers.ImageField()})},
        responses={201: ShopProductSerializer},
    )
    def post(self, request, pk):
        product = self.product(pk)
        services.shop_product_image_add(product=product, image=request.FILES.get("image"))
        return self.respond(product, status.HTTP_201_CREATED)


class MerchantProductImageApi(MerchantMixin, APIView):
    @extend_schema(request=None, responses={200: ShopProductSerializer})
    def delete(self, request, pk, image_pk):
        product = self.product(pk)
        image = product.images.filter(pk=image_pk).first()
        if image is None:
            raise NotFound(_("No such image."))
        services.shop_product_image_delete(image=image)
        return self.respond(product)

