"""REST API of the showcase room: thin DRF views over the services. ``me/…`` is the signed-in
creator's own showcase, videos and live sessions (someone else's is a 404); ``showcases/…`` and
``live/…`` are public. The two reads every viewer repeats (a video's products, the live poll)
are plain Django views in ``views/hot.py``."""
from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from affiliates.api import ProductSerializer
from affiliates.models import ProductSource
from core.errors import InvalidInput, NotFound
from core.openapi import SOURCE_ERRORS, error_responses

from . import selectors, services
from .channels import Channel
from .models import LiveProduct, LiveSession, ShowcaseCategory, ShowcaseItem, VideoProduct
from .tracking import Via
from .views.hot import product_json


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class OwnApi(APIView):
    permission_classes = [IsAuthenticated]


# --- serializers ----------------------------------------------------------------------------
class CategorySerializer(serializers.ModelSerializer):
    """A category of your showcase (``product_count`` counts its products)."""

    product_count = serializers.IntegerField(source="n", read_only=True)

    class Meta:
        model = ShowcaseCategory
        fields = ["id", "name", "position", "product_count"]
        read_only_fields = fields


class ItemSerializer(serializers.ModelSerializer):
    product = ProductSerializer(read_only=True)

    class Meta:
        model = ShowcaseItem
        fields = ["id", "product", "category_id", "position", "is_recommended", "is_new", "added_at"]
        read_only_fields = fields


class AddInput(serializers.Serializer):
    product_id = serializers.IntegerField(required=False, min_value=1)
    text = serializers.CharField(required=False, allow_blank=True, max_length=settings.RESOLVER_MAX_PASTE_CHARS)


class ItemAddInput(AddInput):
    category_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    is_recommended = serializers.BooleanField(required=False, default=False)
    is_new = serializers.BooleanField(required=False, default=False)


class ItemUpdateInput(serializers.Serializer):
    category_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    is_recommended = serializers.BooleanField(required=False)
    is_new = serializers.BooleanField(required=False)


class MoveInput(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


class ItemOrderInput(serializers.Serializer):
    item_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=1000)


class CategoryInput(serializers.Serializer):
    name = serializers.CharField(min_length=1, max_length=20)


class CategoryOrderInput(serializers.Serializer):
    category_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False,
                                         max_length=200)


# --- what shoppers read (no commission) -----------------------------------------------------------
class ShopperProductSerializer(serializers.Serializer):
    """A product as shoppers see it (``views.hot.product_json``), with its seeding-page link."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    image = serializers.CharField()
    source = serializers.ChoiceField(choices=ProductSource.choices)
    source_label = serializers.CharField()
    price_fen = serializers.IntegerField()
    original_price_fen = serializers.IntegerField(allow_null=True)
    coupon_fen = serializers.IntegerField()
    shop_name = serializers.CharField()
    sales = serializers.IntegerField()
    available = serializers.BooleanField()
    url = serializers.CharField(help_text="The seeding page (种草页), attributed to where the shopper saw it.")


class ShowcaseProductSerializer(ShopperProductSerializer):
    category_id = serializers.IntegerField(allow_null=True)
    recommended = serializers.BooleanField()
    new = serializers.BooleanField()


class PersonNameSerializer(serializers.Serializer):
    handle = serializers.CharField()
    nickname = serializers.CharField()


class TabSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PublicShowcaseSerializer(serializers.Serializer):
    creator = PersonNameSerializer()
    open = serializers.BooleanField(help_text="The showcase right is usable now; when false the lists are empty.")
    categories = TabSerializer(many=True)
    products = ShowcaseProductSerializer(many=True)
    has_next = serializers.BooleanField()
    live = serializers.IntegerField(allow_null=True, help_text="The creator's live session now, if any.")


class PublicLiveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=LiveSession.Status.choices)
    cover = serializers.CharField()
    host = PersonNameSerializer()
    explaining = serializers.IntegerField(allow_null=True, help_text="The product explained now (正在讲解).")
    products = ShopperProductSerializer(many=True)


class VideoProductsSerializer(serializers.Serializer):
    video = serializers.IntegerField()
    creator = serializers.IntegerField()
    cart_tag = serializers.BooleanField(help_text="The video shows the cart tag (购物车标签).")
    products = ShopperProductSerializer(many=True, help_text="Cart products, in the creator's order.")
    seeding_tags = ShopperProductSerializer(many=True, help_text="Seeding tags (种草).")


class LiveExplainingSerializer(serializers.Serializer):
    live = serializers.IntegerField()
    status = serializers.ChoiceField(choices=LiveSession.Status.choices)
    explaining = serializers.IntegerField(allow_null=True, help_text="The product explained now, or null.")
    products = serializers.ListField(child=serializers.IntegerField(), help_text="Product ids in the cart's order.")
    version = serializers.IntegerField(help_text="Changes whenever the live cart does.")


_IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match", str, OpenApiParameter.HEADER, required=False,
    description="The ETag of the last answer: 304 with no body while nothing changed.")
_NOT_MODIFIED = OpenApiResponse(description="Not modified since the ETag sent in If-None-Match.")


# The two hot reads are plain Django views (views/hot.py: no DRF, no session, no credentials);
# these never-routed twins describe them for the schema (core.openapi.described_by).
class VideoProductsSchema(APIView):
    """A public video's cart products (in the creator's order) and seeding tags (种草)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="videos_products_retrieve", parameters=[_IF_NONE_MATCH],
                   responses={200: VideoProductsSerializer, 304: _NOT_MODIFIED})
    def get(self, request, pk):  # pragma: no cover - never routed
        raise NotImplementedError


class LiveExplainingSchema(APIView):
    """正在讲解, polled by every viewer of a live room every few seconds: the product explained now
    and the live cart's order."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="live_explaining_retrieve", parameters=[_IF_NONE_MATCH],
                   responses={200: LiveExplainingSerializer, 304: _NOT_MODIFIED})
    def get(self, request, pk):  # pragma: no cover - never routed
        raise NotImplementedError


# --- 橱窗管理 --------------------------------------------------------------------------------
class ShowcaseItemsApi(OwnApi):
    """Your showcase's products in order; POST adds one from the pool or a search
    (``product_id``) or a pasted link/淘口令 (``text``)."""

    @extend_schema(responses=ItemSerializer(many=True))
    def get(self, request):
        return Response(ItemSerializer(selectors.own_items(request.user), many=True).data)

    @extend_schema(request=ItemAddInput, responses={201: ItemSerializer, **error_responses(*SOURCE_ERRORS)})
    def post(self, request):
        item = services.showcase_item_add(owner=request.user, **_valid(ItemAddInput, request))
        return Response(ItemSerializer(item).data, status=status.HTTP_201_CREATED)


class ShowcaseItemApi(OwnApi):
    @extend_schema(request=ItemUpdateInput, responses=ItemSerializer)
    def patch(self, request, pk):
        data = _valid(ItemUpdateInput, request)
        item = services.showcase_item_update(
            owner=request.user, item_id=pk, category_id=data.get("category_id", services.UNSET),
            is_recommended=data.get("is_recommended"), is_new=data.get("is_new"))
        return Response(ItemSerializer(item).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        services.showcase_item_remove(owner=request.user, item_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ShowcaseItemMoveApi(OwnApi):
    @extend_schema(request=MoveInput, responses={204: None})
    def post(self, request, pk):
        services.showcase_item_move(owner=request.user, item_id=pk, **_valid(MoveInput, request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ShowcaseItemsOrderApi(OwnApi):
    """Drag and drop: the items named take the places they hold now, in this order."""

    @extend_schema(request=ItemOrderInput, responses={204: None})
    def put(self, request):
        services.showcase_items_reorder(owner=request.user, **_valid(ItemOrderInput, request))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _counted(request, category: ShowcaseCategory) -> ShowcaseCategory:
    """The category again, with the number of its products (as the list shows it)."""
    return selectors.own_categories(request.user).get(pk=category.pk)


class CategoriesApi(OwnApi):
    @extend_schema(responses=CategorySerializer(many=True))
    def get(self, request):
        return Response(CategorySerializer(selectors.own_categories(request.user), many=True).data)

    @extend_schema(request=CategoryInput, responses={201: CategorySerializer})
    def post(self, request):
        category = services.showcase_category_create(owner=request.user, **_valid(CategoryInput, request))
        return Response(CategorySerializer(_counted(request, category)).data, status=status.HTTP_201_CREATED)


class CategoryApi(OwnApi):
    @extend_schema(request=CategoryInput, responses=CategorySerializer)
    def patch(self, request, pk):
        category = services.showcase_category_rename(owner=request.user, category_id=pk,
                                                     **_valid(CategoryInput, request))
        return Response(CategorySerializer(_counted(request, category)).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        services.showcase_category_delete(owner=request.user, category_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CategoryMoveApi(OwnApi):
    @extend_schema(request=MoveInput, responses={204: None})
    def post(self, request, pk):
        services.showcase_category_move(owner=request.user, category_id=pk, **_valid(MoveInput, request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CategoriesOrderApi(OwnApi):
    @extend_schema(request=CategoryOrderInput, responses={204: None})
    def put(self, request):
        services.showcase_categories_reorder(owner=request.user, **_valid(CategoryOrderInput, request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PublicShowcaseApi(APIView):
    """A creator's showcase as shoppers see it (no commission): tabs, products (recommended
    first, then the creator's order; ``?cat=`` one category, ``?page=``), and the live session."""

    permission_classes = [AllowAny]

    @extend_schema(responses=PublicShowcaseSerializer)
    def get(self, request, handle):
        creator = selectors.creator_with_showcase_right(handle)
        if creator is None:
            raise NotFound(_("No such creator."))
        via = Via(channel=Channel.SHOWCASE, creator_id=creator.pk)
        body = {"creator": {"handle": creator.handle, "nickname": creator.display_name}, "open": creator.showcase_open,
                "categories": [], "products": [], "has_next": False, "live": None}
        if creator.showcase_open:
            page = selectors.showcase_page(owner_id=creator.pk, category_id=_query_int(request, "cat"),
                                           page=_query_int(request, "page") or 1)
            body.update(
                categories=[{"id": c.pk, "name": c.name} for c in page.categories],
                products=[{**product_json(i.product, via), "category_id": i.category_id,
                           "recommended": i.is_recommended, "new": i.is_new} for i in page.items],
                has_next=page.has_next, live=page.live.pk if page.live else None)
        return Response(body)


def _query_int(request, name):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(_("Enter a whole number."), field=name)
    return value


# --- a video's products ------------------------------------------------------------------------
class VideoProductSerializer(serializers.ModelSerializer):
    product = ProductSerializer(read_only=True)

    class Meta:
        model = VideoProduct
        fields = ["product", "kind", "position", "added_at"]
        read_only_fields = fields


class VideoAddInput(AddInput):
    kind = serializers.ChoiceField(choices=VideoProduct.Kind.choices, default=VideoProduct.Kind.CART)
    item_id = serializers.IntegerField(required=False, min_value=1)


class VideoOrderInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=VideoProduct.Kind.choices)
    product_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False,
                                        max_length=100)


def _own_video(request, pk):
    video = selectors.own_video(request.user, pk)
    if video is None:
        raise NotFound(_("No such video."), field="video")
    return video


class MyVideoProductsApi(OwnApi):
    """Your video's cart products (at most VIDEO_CART_MAX_PRODUCTS) and seeding tags. POST tags a
    product from the pool (``product_id``), your showcase (``item_id``) or a paste (``text``)."""

    @extend_schema(responses=VideoProductSerializer(many=True))
    def get(self, request, pk):
        video = _own_video(request, pk)
        links = VideoProduct.objects.filter(video=video).select_related("product").order_by("kind", "position", "id")
        return Response(VideoProductSerializer(links, many=True).data)

    @extend_schema(request=VideoAddInput, responses={201: VideoProductSerializer, **error_responses(*SOURCE_ERRORS)})
    def post(self, request, pk):
        link = services.video_product_add(owner=request.user, video_id=pk, **_valid(VideoAddInput, request))
        return Response(VideoProductSerializer(link).data, status=status.HTTP_201_CREATED)


class MyVideoProductApi(OwnApi):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk, product_id):
        services.video_product_remove(owner=request.user, video_id=pk, product_id=product_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyVideoProductMoveApi(OwnApi):
    @extend_schema(request=MoveInput, responses={204: None})
    def post(self, request, pk, product_id):
        services.video_product_move(owner=request.user, video_id=pk, product_id=product_id,
                                    **_valid(MoveInput, request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyVideoProductsOrderApi(OwnApi):
    @extend_schema(request=VideoOrderInput, responses={204: None})
    def put(self, request, pk):
        services.video_products_reorder(owner=request.user, video_id=pk, **_valid(VideoOrderInput, request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- live sessions -----------------------------------------------------------------------------
class LiveProductSerializer(serializers.ModelSerializer):
    product = ProductSerializer(read_only=True)

    class Meta:
        model = LiveProduct
        fields = ["product", "position", "explaining", "explaining_since"]
        read_only_fields = fields


class LiveSessionSerializer(serializers.ModelSerializer):
    products = LiveProductSerializer(many=True, read_only=True)

    class Meta:
        model = LiveSession
        fields = ["id", "title", "cover", "status", "started_at", "ended_at", "products"]
        read_only_fields = fields


class LiveStartInput(serializers.Serializer):
    title = serializers.CharField(min_length=1, max_length=40)
    cover = serializers.FileField()
    product_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list,
                                        max_length=1000)


class ProductIdInput(serializers.Serializer):
    product_id = serializers.IntegerField(min_value=1)


class LiveOrderInput(serializers.Serializer):
    product_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False,
                                        max_length=1000)


def _session_data(session, request):
    session = LiveSession.objects.prefetch_related("products__product").get(pk=session.pk)
    return LiveSessionSerializer(session, context={"request": request}).data


class MyLiveSessionsApi(OwnApi):
    """Your live sessions, newest first; POST (multipart: ``title``, ``cover``, optional
    ``product_ids`` from your showcase) goes live. One live session at a time."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=LiveSessionSerializer(many=True))
    def get(self, request):
        sessions = (LiveSession.objects.filter(host=request.user).prefetch_related("products__product")
                    .order_by("-started_at", "-id")[:50])
        return Response(LiveSessionSerializer(sessions, many=True, context={"request": request}).data)

    @extend_schema(request=LiveStartInput, responses={201: LiveSessionSerializer})
    def post(self, request):
        data = _valid(LiveStartInput, request)
        session = services.live_session_start(host=request.user, **data)
        return Response(_session_data(session, request), status=status.HTTP_201_CREATED)


def _own_session(request, pk):
    session = selectors.own_live_session(request.user, pk)
    if session is None:
        raise NotFound(_("No such live session."), field="session")
    return session


class MyLiveSessionApi(OwnApi):
    @extend_schema(responses=LiveSessionSerializer)
    def get(self, request, pk):
        return Response(_session_data(_own_session(request, pk), request))


class MyLiveEndApi(OwnApi):
    @extend_schema(request=None, responses=LiveSessionSerializer)
    def post(self, request, pk):
        session = services.live_session_end(host=request.user, session_id=pk)
        return Response(_session_data(session, request))


class MyLiveProductsApi(OwnApi):
    """The live cart in order; POST adds a product of your showcase (商品来源于橱窗)."""

    @extend_schema(responses=LiveProductSerializer(many=True))
    def get(self, request, pk):
        session = _own_session(request, pk)
        return Response(LiveProductSerializer(selectors.live_products(session.pk), many=True).data)

    @extend_schema(request=ProductIdInput, responses={201: LiveProductSerializer})
    def post(self, request, pk):
        live_product = services.live_product_add(host=request.user, session_id=pk, **_valid(ProductIdInput, request))
        return Response(LiveProductSerializer(live_product).data, status=status.HTTP_201_CREATED)


class MyLiveProductApi(OwnApi):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk, product_id):
        services.live_product_remove(host=request.user, session_id=pk, product_id=product_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyLiveProductMoveApi(OwnApi):
    @extend_schema(request=MoveInput, responses={204: None})
    def post(self, request, pk, product_id):
        services.live_product_move(host=request.user, session_id=pk, product_id=product_id,
                                   **_valid(MoveInput, request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyLiveProductsOrderApi(OwnApi):
    @extend_schema(request=LiveOrderInput, responses={204: None})
    def put(self, request, pk):
        services.live_products_reorder(host=request.user, session_id=pk, **_valid(LiveOrderInput, request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyLiveExplainingApi(OwnApi):
    """正在讲解: PUT ``{"product_id"}`` makes that product the one being explained (the previous one
    stops); DELETE stops explaining."""

    @extend_schema(request=ProductIdInput, responses=LiveProductSerializer)
    def put(self, request, pk):
        live_product = services.live_explaining_set(host=request.user, session_id=pk, **_valid(ProductIdInput, request))
        return Response(LiveProductSerializer(live_product).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        services.live_explaining_clear(host=request.user, session_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PublicLiveApi(APIView):
    """A live room as viewers see it: title, host, status and the live cart (no commission)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=PublicLiveSerializer)
    def get(self, request, pk):
        session = get_object_or_404(LiveSession.objects.select_related("host"), pk=pk, host__is_active=True)
        via = Via(channel=Channel.LIVE, creator_id=session.host_id, live_id=session.pk)
        products = selectors.live_products(session.pk)
        return Response({
            "id": session.pk, "title": session.title, "status": session.status,
            "cover": request.build_absolute_uri(session.cover.url) if session.cover else "",
            "host": {"handle": session.host.handle, "nickname": session.host.display_name},
            "explaining": next((lp.product_id for lp in products if lp.explaining), None),
            "products": [product_json(lp.product, via) for lp in products],
        })
