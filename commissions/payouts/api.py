"""Withdrawals over the API, for a creator (``/commissions/…``) and for a shop (``/merchant/…``):
the payout account, the withdrawals (``POST`` takes an ``Idempotency-Key`` header) and the shop's
funds. Amounts go in as yuan text (``"100.50"``) and come out in fen (``amount_fen``)."""
from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from affiliates.selectors import shop_for_owner
from commissions.selectors import income_access
from core.openapi import paginated

from . import selectors, services
from .models import PayoutAccount, Withdrawal, WithdrawalStatus
from .owners import Owner

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Same key and amount → the same withdrawal again; the same key with another amount → 409.")


class PayoutAccountSerializer(serializers.ModelSerializer):
    account_no = serializers.CharField(source="masked_account_no", help_text="Only the last four digits.")

    class Meta:
        model = PayoutAccount
        fields = ["holder_name", "bank_name", "account_no", "created_at"]
        read_only_fields = fields


class PayoutAccountBindSerializer(serializers.Serializer):
    holder_name = serializers.CharField(max_length=64, help_text=gettext_lazy("Your verified real name."))
    bank_name = serializers.CharField(max_length=64)
    account_no = serializers.CharField(max_length=40, help_text=gettext_lazy("12 to 30 digits."))


class WithdrawalSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=WithdrawalStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    account = serializers.CharField(source="account.__str__")

    class Meta:
        model = Withdrawal
        fields = ["number", "amount_fen", "status", "status_display", "account", "reason", "created_at",
                  "decided_at", "finished_at"]
        read_only_fields = fields


class WithdrawalRequestSerializer(serializers.Serializer):
    amount = serializers.CharField(max_length=20, required=False, allow_blank=True, default="", help_text=gettext_lazy("In yuan, e.g. \"100\" or \"99.50\"."))


class LimitsSerializer(serializers.Serializer):
    available_fen = serializers.IntegerField()
    minimum_fen = serializers.IntegerField()
    daily_limit_fen = serializers.IntegerField()
    used_today_fen = serializers.IntegerField()
    left_today_fen = serializers.IntegerField()


class WithdrawalPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class _OwnerApi(APIView):
    permission_classes = [IsAuthenticated]

    def owner(self, request) -> Owner:
        raise NotImplementedError


class _CreatorMixin:
    def owner(self, request) -> Owner:
        income_access(request.user)  # 403 without product sharing rights
        return Owner.creator(request.user)


class _ShopMixin:
    def owner(self, request) -> Owner:
        shop = shop_for_owner(request.user)
        if shop is None:
            raise Http404
        return Owner.of_shop(shop)


class _PayoutAccountApi(_OwnerApi):
    @extend_schema(responses={200: PayoutAccountSerializer})
    def get(self, request):
        account = selectors.payout_account_of(self.owner(request))
        if account is None:
            raise Http404
        return Response(PayoutAccountSerializer(account).data)

    @extend_schema(request=PayoutAccountBindSerializer, responses={201: PayoutAccountSerializer})
    def post(self, request):
        owner = self.owner(request)
        body = PayoutAccountBindSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        account = services.payout_account_bind(owner=owner, actor=request.user, **body.validated_data)
        return Response(PayoutAccountSerializer(account).data, status=status.HTTP_201_CREATED)


class _WithdrawalListApi(_OwnerApi):
    @extend_schema(responses=paginated(WithdrawalSerializer, "WithdrawalPage"))
    def get(self, request):
        paginator = WithdrawalPagination()
        page = paginator.paginate_queryset(selectors.withdrawals_of(self.owner(request)), request, view=self)
        return paginator.get_paginated_response(WithdrawalSerializer(page, many=True).data)

    @extend_schema(parameters=[IDEMPOTENCY_HEADER], request=WithdrawalRequestSerializer,
                   responses={201: WithdrawalSerializer})
    def post(self, request):
        owner = self.owner(request)
        body = WithdrawalRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        withdrawal, _created = services.withdrawal_request(
            owner=owner, amount_fen=services.amount_parse(body.validated_data["amount"]), actor=request.user,
            idempotency_key=request.headers.get("Idempotency-Key", ""))
        return Response(WithdrawalSerializer(withdrawal).data, status=status.HTTP_201_CREATED)


class _WithdrawalDetailApi(_OwnerApi):
    @extend_schema(responses=WithdrawalSerializer)
    def get(self, request, number: str):
        withdrawal = selectors.withdrawals_of(self.owner(request)).filter(number=number).first()
        if withdrawal is None:
            raise Http404
        return Response(WithdrawalSerializer(withdrawal).data)


class _LimitsApi(_OwnerApi):
    @extend_schema(responses=LimitsSerializer)
    def get(self, request):
        limits = selectors.withdrawal_limits(self.owner(request))
        return Response(LimitsSerializer(limits).data)


class CreatorPayoutAccountApi(_CreatorMixin, _PayoutAccountApi):
    """Your payout account (GET, 404 when none); POST binds one — its holder must be your verified
    real name — replacing the one in use."""


@extend_schema_view(get=extend_schema(operation_id="commissions_withdrawals_list"))
class CreatorWithdrawalListApi(_CreatorMixin, _WithdrawalListApi):
    """Your withdrawals, newest first; POST asks for one: at least the minimum, at most the available
    balance and what is left of today's limit. The amount is held until it is paid out or released."""


class CreatorWithdrawalDetailApi(_CreatorMixin, _WithdrawalDetailApi):
    """One of your withdrawals; anyone else's is 404."""


class CreatorLimitsApi(_CreatorMixin, _LimitsApi):
    """What you may withdraw now: available balance, minimum, the daily limit and what is left of it."""


class ShopPayoutAccountApi(_ShopMixin, _PayoutAccountApi):
    """Your shop's payout account; its holder must be the shop owner's verified real name."""


@extend_schema_view(get=extend_schema(operation_id="merchant_withdrawals_list"))
class ShopWithdrawalListApi(_ShopMixin, _WithdrawalListApi):
    """Your shop's withdrawals; POST asks for one from the shop's available proceeds."""


class ShopWithdrawalDetailApi(_ShopMixin, _WithdrawalDetailApi):
    """One of your shop's withdrawals."""


class ShopFundsSerializer(serializers.Serializer):
    orders = serializers.IntegerField()
    sales_fen = serializers.IntegerField(help_text="Paid by shoppers.")
    refunds_fen = serializers.IntegerField(help_text="Paid back to shoppers.")
    commission_fen = serializers.IntegerField(help_text="Commission to creators after refunds.")
    fee_fen = serializers.IntegerField(help_text="The platform's technical service fee inside that commission "
                                                 "(taken from the creators' commission, not charged to the shop).")
    proceeds_fen = serializers.IntegerField(help_text="Sales − refunds − commission.")
    pending_fen = serializers.IntegerField(help_text="Proceeds of orders not yet completed.")
    available_fen = serializers.IntegerField(help_text="Withdrawable now.")
    held_fen = serializers.IntegerField(help_text="Held for withdrawals under review or paying out.")
    paid_out_fen = serializers.IntegerField()
    debt_fen = serializers.IntegerField(help_text="Refunded after completion beyond the available balance.")


class ShopFundsApi(_ShopMixin, _OwnerApi):
    """Your shop's funds (小店账款) from the ledger; 404 without a shop."""

    @extend_schema(responses=ShopFundsSerializer)
    def get(self, request):
        owner = self.owner(request)
        return Response(ShopFundsSerializer(selectors.shop_funds(shop_id=owner.id).as_dict()).data)
