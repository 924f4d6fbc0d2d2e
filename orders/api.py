"""Orders API: a shopper's addresses and orders. Placement takes an ``Idempotency-Key`` header;
price, totals and status are read-only (the server computes them)."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from . import services
from .models import Address, Order

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Same key → the same order again; the same key with a different body → 409.")


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Address
        fields = ["id", "recipient", "phone", "region", "detail", "is_default"]
        read_only_fields = ["id"]


class AddressListApi(generics.ListCreateAPIView):
    """Your saved delivery addresses; POST saves one (the first becomes the default)."""

    permission_classes = [IsAuthenticated]
    serializer_class = AddressSerializer
    pagination_class = None

    def get_queryset(self):
        return Address.objects.filter(user=self.request.user)

    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        address = services.address_create(user=request.user, **data.validated_data)
        return Response(AddressSerializer(address).data, status=status.HTTP_201_CREATED)


class OrderSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    shop = serializers.CharField(source="shop.name", read_only=True)

    class Meta:
        model = Order
        fields = ["number", "status", "status_display", "shop", "product", "sku", "title", "sku_name",
                  "unit_price_fen", "quantity", "total_fen", "recipient", "phone", "address", "carrier",
                  "tracking_number", "created_at", "pay_deadline", "paid_at", "shipped_at", "received_at"]
        read_only_fields = fields


class OrderPlaceSerializer(serializers.Serializer):
    """What a client may send: no price, no total, no status."""

    product = serializers.IntegerField(min_value=1)
    sku = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField()
    address = serializers.IntegerField(min_value=1)
    click = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")


class OrderListApi(generics.ListCreateAPIView):
    """Your native orders, newest first (``?status=``); POST places one and reserves the stock."""

    permission_classes = [IsAuthenticated]

    def get_serializer_class(self):
        return OrderPlaceSerializer if self.request.method == "POST" else OrderSerializer

    def get_queryset(self):
        qs = Order.objects.filter(shopper=self.request.user).select_related("shop")
        wanted = self.request.query_params.get("status")
        return qs.filter(status=wanted) if wanted else qs

    @extend_schema(parameters=[OpenApiParameter("status", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(parameters=[IDEMPOTENCY_HEADER], request=OrderPlaceSerializer, responses={201: OrderSerializer})
    def post(self, request, *args, **kwargs):
        data = OrderPlaceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        order = services.order_place(
            shopper=request.user, product_id=v["product"], sku_id=v["sku"], quantity=v["quantity"],
            address_id=v["address"], click_id=v["click"], idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class OrderDetailApi(generics.RetrieveAPIView):
    """One of your orders; anyone else's is 404."""

    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer
    lookup_field = "number"

    def get_queryset(self):
        return Order.objects.filter(shopper=self.request.user).select_related("shop")
