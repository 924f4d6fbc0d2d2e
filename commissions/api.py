"""JSON of commission income: the summary and the lines (filters as on the page; CSV with
``?format=csv``)."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import APIView

from core.openapi import paginated

from . import selectors
from .models import CommissionLine, LineStatus
from .views import csv_response


class SummarySerializer(serializers.Serializer):
    estimated_fen = serializers.IntegerField(help_text="Net of lines not yet settled.")
    settled_fen = serializers.IntegerField(help_text="Net settled so far (after clawbacks).")
    available_fen = serializers.IntegerField(help_text="Withdrawable now.")
    held_fen = serializers.IntegerField(help_text="Held for withdrawals under review or paying out.")
    withdrawn_fen = serializers.IntegerField()
    debt_fen = serializers.IntegerField(help_text="Clawed back beyond the available balance; paid by the next settlements.")
    clawed_back_fen = serializers.IntegerField()
    lines = serializers.IntegerField()
    fee_note = serializers.CharField()
    taobao_note = serializers.CharField()


class LineSerializer(serializers.ModelSerializer):
    order = serializers.CharField(source="order_number")
    product_id = serializers.IntegerField(allow_null=True)
    product = serializers.CharField(source="title")
    source_label = serializers.CharField()
    channel_label = serializers.CharField()
    status = serializers.ChoiceField(choices=LineStatus.choices)

    class Meta:
        model = CommissionLine
        fields = ["id", "order", "product_id", "product", "source", "source_label", "channel", "channel_label",
                  "quantity", "rate_bp", "paid_fen", "refunded_fen", "commission_fen", "fee_bp", "fee_fen", "net_fen",
                  "clawed_back_fen", "status", "paid_at", "completed_at", "settle_after", "settled_at", "cancelled_at"]


class LinePagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200


FILTER_PARAMS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="Paid on or after this day (Asia/Shanghai)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Paid on or before this day (Asia/Shanghai)."),
    OpenApiParameter("status", str, enum=list(LineStatus.values)),
    OpenApiParameter("source", str, enum=list(selectors.LINE_SOURCES)),
    OpenApiParameter("channel", str),
]


class SummaryApi(APIView):
    """The signed-in creator's commission totals (fen): estimated, settled, available, held,
    withdrawn and debt."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=SummarySerializer)
    def get(self, request):
        from django.utils.translation import gettext as _
        from rest_framework.response import Response

        selectors.income_access(request.user)
        data = selectors.income_summary(creator_id=request.user.pk).as_dict()
        data["fee_note"] = _("The platform keeps a technical service fee from each commission (tax withheld on "
                             "your behalf included): net = commission − fee.")
        data["taobao_note"] = _("Taobao Union income is not paid here: check and withdraw it in Taobao Union.")
        return Response(SummarySerializer(data).data)


def _page_params_check(params) -> None:
    """``page`` is a whole number from 1 and ``page_size`` from 1 to 200; anything else is refused
    naming the parameter instead of silently answering the default page."""
    from django.utils.translation import gettext as _

    from core.errors import InvalidInput

    for name, top in (("page", None), ("page_size", LinePagination.max_page_size)):
        raw = params.get(name)
        if raw is None or raw == "":
            continue
        if not raw.isdigit() or int(raw) < 1 or (top is not None and int(raw) > top):
            raise InvalidInput(_("%(name)s must be a whole number from 1%(top)s.") % {
                "name": name, "top": f"–{top}" if top else ""}, field=name, code="invalid")


class LinesApi(APIView):
    """The signed-in creator's commission lines, newest first; ``format=csv`` downloads them all."""

    permission_classes = [permissions.IsAuthenticated]

    def perform_content_negotiation(self, request, force=False):
        if request.query_params.get("format") == "csv":  # answered as a CSV download, not by a renderer
            return super().perform_content_negotiation(request, force=True)
        return super().perform_content_negotiation(request, force)

    @extend_schema(parameters=[*FILTER_PARAMS, OpenApiParameter("page", int),
                               OpenApiParameter("page_size", int, description="1–200, default 20."),
                               OpenApiParameter("format", str, enum=["json", "csv"])],
                   responses={(200, "application/json"): paginated(LineSerializer, "CommissionLinePage"),
                              (200, "text/csv"): OpenApiTypes.STR})
    def get(self, request):
        selectors.income_access(request.user)
        _page_params_check(request.query_params)
        filters = selectors.line_filters_parse(request.query_params)
        lines = selectors.lines_for(creator_id=request.user.pk, filters=filters)
        if request.query_params.get("format") == "csv":
            return csv_response(lines, "commission-lines.csv")
        paginator = LinePagination()
        page = paginator.paginate_queryset(lines, request, view=self)
        return paginator.get_paginated_response(LineSerializer(page, many=True).data)
