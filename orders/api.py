"""Orders API: a shopper's addresses and orders, and a merchant's shop orders. Placement takes an
``Idempotency-Key`` header; price, totals and status are read-only (the server computes them).
Every status change is a verb (cancel, confirm, refund request; ship, refund decision) that goes
through the same service and transitions table as the pages: a move the table does not allow is
a 409 ``transition_refused``, someone else's order a 404."""
from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from affiliates.models import Shop
from affiliates.selectors import shop_for_owner

from . import conf, selectors, services
from .models import Address, Order, OrderStatus, Refund

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Same key → the same order again; the same key with a different body → 409.")


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Address
        fields = ["id", "recipient", "phone", "region", "detail", "is_default"]
        read_only_fields = ["id"]
        extra_kwargs = {"recipient": {"min_length": 1}, "region": {"min_length": 1}, "detail": {"min_length": 1},
                        "phone": {"min_length": 11, "help_text": "11 digits starting with 1."}}


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


class RefundSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Refund
        fields = ["number", "status", "status_display", "amount_fen", "quantity", "reason", "after_completion",
                  "created_at", "decided_at", "refunded_at"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    shop = serializers.CharField(source="shop.name", read_only=True)

    class Meta:
        model = Order
        fields = ["number", "status", "status_display", "shop", "product", "sku", "title", "sku_name",
                  "unit_price_fen", "quantity", "total_fen", "recipient", "phone", "address", "carrier",
                  "tracking_number", "created_at", "pay_deadline", "paid_at", "shipped_at", "received_at",
                  "refund_reason", "refunds"]
        read_only_fields = fields

    refunds = serializers.SerializerMethodField()

    @extend_schema_field(RefundSerializer(many=True))
    def get_refunds(self, order):
        refunds = sorted((r for r in order.refunds.all() if not r.stray), key=lambda r: r.pk)
        return RefundSerializer(refunds, many=True).data


_DATETIME = serializers.DateTimeField()


def placed_representation(order: Order) -> dict:
    """``OrderSerializer(order).data`` of an order still pending payment (no refunds yet), built
    directly from the serializer's own field list: the placement answers thousands of times a
    second in a flash sale, and binding a serializer's fields costs more than placing the order's
    rows. A test holds the two equal."""
    special = {"status_display": order.get_status_display(), "product": order.product_id, "sku": order.sku_id,
               "shop": getattr(order, "placed_shop_name", None) or order.shop.name, "refunds": []}
    data = {}
    for name in OrderSerializer.Meta.fields:
        if name in special:
            data[name] = special[name]
        else:
            value = getattr(order, name)
            data[name] = _DATETIME.to_representation(value) if isinstance(value, datetime.datetime) else value
    return data


def _status_filtered(qs, request):
    wanted = request.query_params.get("status")
    if wanted and wanted not in OrderStatus.values:
        raise serializers.ValidationError(
            {"status": [_("Unknown status; use one of %(statuses)s.") % {"statuses": ", ".join(OrderStatus.values)}]})
    return qs.filter(status=wanted) if wanted else qs


class OrderPlaceSerializer(serializers.Serializer):
    """What a client may send: no price, no total, no status."""

    product = serializers.IntegerField(min_value=1)
    sku = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, validators=[
        MaxValueValidator(lambda: conf.get("ORDER_MAX_QUANTITY"))])  # a setting: read when checked
    address = serializers.IntegerField(min_value=1)
    click = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")


class OrderListApi(generics.ListCreateAPIView):
    """Your native orders, newest first (``?status=``); POST places one and reserves the stock."""

    permission_classes = [IsAuthenticated]

    def get_serializer_class(self):
        return OrderPlaceSerializer if self.request.method == "POST" else OrderSerializer

    def get_queryset(self):
        return _status_filtered(Order.objects.filter(shopper=self.request.user).select_related("shop").prefetch_related("refunds"), self.request)

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
        if order.status == OrderStatus.PENDING_PAYMENT:  # just placed (or its replay): no refund can exist
            return Response(placed_representation(order), status=status.HTTP_201_CREATED)
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class OrderDetailApi(generics.RetrieveAPIView):
    """One of your orders; anyone else's is 404."""

    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer
    lookup_field = "number"

    def get_queryset(self):
        return Order.objects.filter(shopper=self.request.user).select_related("shop").prefetch_related("refunds")


# --- status verbs -----------------------------------------------------------------------------------
class RefundRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(min_length=1, max_length=200)
    amount = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                   help_text=gettext_lazy("Part of the money, in yuan (\"12.50\"); leave out to refund everything left."))
    quantity = serializers.IntegerField(required=False, min_value=1,
                                        help_text=gettext_lazy("Some of the units; not together with amount."))




class ShipSerializer(serializers.Serializer):
    carrier = serializers.CharField(min_length=1, max_length=30)
    tracking_number = serializers.CharField(min_length=1, max_length=40)


class RefundDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class _OrderVerbApi(APIView):
    """POST moves one order; the answer is the order as it is now."""

    permission_classes = [IsAuthenticated]
    body: type[serializers.Serializer] | None = None

    def order(self, request, number: str) -> Order:
        order = selectors.shopper_order(user=request.user, number=number)
        if order is None:
            raise Http404
        return order

    def act(self, request, order: Order, data: dict) -> Order:
        raise NotImplementedError

    def post(self, request, number: str):
        order = self.order(request, number)
        data = {}
        if self.body is not None:
            body = self.body(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
        return Response(OrderSerializer(self.act(request, order, data)).data)


@extend_schema(request=None, responses=OrderSerializer)
class OrderCancelApi(_OrderVerbApi):
    """Cancel your unpaid order; its stock goes back."""

    def act(self, request, order, data):
        return services.order_cancel(order=order, actor=request.user)


@extend_schema(request=None, responses=OrderSerializer)
class OrderConfirmApi(_OrderVerbApi):
    """Confirm receipt of your shipped order (确认收货)."""

    def act(self, request, order, data):
        return services.order_confirm(order=order, actor=request.user)


@extend_schema(request=RefundRequestSerializer, responses=OrderSerializer)
class OrderRefundRequestApi(_OrderVerbApi):
    """Ask for a refund of your paid, shipped or received order, or after completion within the
    after-sale days: everything left, ``amount`` (yuan) or ``quantity`` units; the merchant decides."""

    body = RefundRequestSerializer

    def act(self, request, order, data):
        return services.order_refund_request(order=order, actor=request.user, reason=data["reason"],
                                             amount=data.get("amount"), quantity=data.get("quantity"))


# --- the merchant's side ----------------------------------------------------------------------------
def _own_shop(request) -> Shop:
    shop = shop_for_owner(request.user)
    if shop is None:
        raise Http404
    return shop


class MerchantOrderListApi(generics.ListAPIView):
    """Your shop's orders, newest first (``?status=``); 404 without a shop."""

    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer

    def get_queryset(self):
        shop = _own_shop(self.request)
        return _status_filtered(Order.objects.filter(shop=shop).select_related("shop").prefetch_related("refunds").order_by("-created_at", "-id"),
                                self.request)

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=OrderStatus.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class _MerchantOrderMixin:
    def order(self, request, number: str) -> Order:
        order = selectors.merchant_order(shop=_own_shop(request), number=number)
        if order is None:
            raise Http404
        return order


class MerchantOrderDetailApi(_MerchantOrderMixin, APIView):
    """One of your shop's orders; another shop's is 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OrderSerializer)
    def get(self, request, number: str):
        return Response(OrderSerializer(self.order(request, number)).data)


@extend_schema(request=ShipSerializer, responses=OrderSerializer)
class MerchantOrderShipApi(_MerchantOrderMixin, _OrderVerbApi):
    """Ship a paid order with its carrier and tracking number (发货)."""

    body = ShipSerializer

    def act(self, request, order, data):
        return services.order_ship(order=order, actor=request.user, carrier=data["carrier"],
                                   tracking_number=data["tracking_number"])


@extend_schema(request=RefundDecisionSerializer, responses=OrderSerializer)
class MerchantOrderRefundApi(_MerchantOrderMixin, _OrderVerbApi):
    """Approve (stock returns if it never shipped) or reject a refund request."""

    body = RefundDecisionSerializer

    def act(self, request, order, data):
        if data["decision"] == "approve":
            return services.order_refund(order=order, actor=request.user)
        return services.order_refund_reject(order=order, actor=request.user, note=data["note"])
