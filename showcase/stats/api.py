"""JSON for the dashboard and the leaderboard."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import InvalidInput

from . import selectors
from .models import LeaderboardEntry
from .views import _flush_if_local, dashboard_access, parse_days

COUNTS = ("impressions", "views", "clicks", "orders", "units", "gmv_fen", "commission_fen")


class CountsSerializer(serializers.Serializer):
    impressions = serializers.IntegerField()
    views = serializers.IntegerField()
    clicks = serializers.IntegerField()
    orders = serializers.IntegerField()
    units = serializers.IntegerField()
    gmv_fen = serializers.IntegerField()
    commission_fen = serializers.IntegerField()


class DayCountsSerializer(CountsSerializer):
    day = serializers.DateField()


class ChannelCountsSerializer(CountsSerializer):
    channel = serializers.CharField()
    label = serializers.CharField()


class ProductCountsSerializer(CountsSerializer):
    product_id = serializers.IntegerField()
    title = serializers.CharField()
    source = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    totals = CountsSerializer()
    previous_totals = CountsSerializer()
    daily = DayCountsSerializer(many=True)
    channels = ChannelCountsSerializer(many=True)
    products = ProductCountsSerializer(many=True)


class DashboardApi(APIView):
    """The signed-in creator's dashboard for the last 7, 30 or 90 days."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("days", int, enum=[7, 30, 90])], responses=DashboardSerializer)
    def get(self, request):
        dashboard_access(request.user)
        days = parse_days(request.query_params.get("days"))
        _flush_if_local()
        board = selectors.dashboard_for(creator_id=request.user.pk, days=days)
        data = {
            "days": board.days, "start": board.start, "end": board.end,
            "totals": board.totals, "previous_totals": board.previous_totals,
            "daily": [{"day": day, **counts} for day, counts in board.daily],
            "channels": [{"channel": value, "label": str(label), **counts} for value, label, counts in board.channels],
            "products": [{"product_id": p.product_id, "title": p.title, "source": p.source, **p.counts}
                         for p in board.products],
        }
        return Response(DashboardSerializer(data).data)


class LeaderboardEntrySerializer(serializers.ModelSerializer):
    handle = serializers.CharField(source="creator.handle")
    nickname = serializers.CharField(source="creator.nickname")
    showcase_url = serializers.SerializerMethodField()

    class Meta:
        model = LeaderboardEntry
        fields = ["rank", "handle", "nickname", "gmv_fen", "units", "orders", "showcase_url"]

    def get_showcase_url(self, entry) -> str:
        return entry.showcase_url


class LeaderboardApi(APIView):
    """The leaderboard (达人榜) of a period (day/week/month) ranked by GMV or sales."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[OpenApiParameter("period", str, enum=LeaderboardEntry.Period.values),
                               OpenApiParameter("by", str, enum=LeaderboardEntry.Metric.values)],
                   responses=inline_serializer("Leaderboard", {
                       "period": serializers.CharField(), "by": serializers.CharField(),
                       "computed_at": serializers.DateTimeField(allow_null=True),
                       "results": LeaderboardEntrySerializer(many=True)}))
    def get(self, request):
        period = request.query_params.get("period", LeaderboardEntry.Period.DAY)
        metric = request.query_params.get("by", LeaderboardEntry.Metric.GMV)
        if period not in LeaderboardEntry.Period.values:
            raise InvalidInput(_("period must be day, week or month."), field="period")
        if metric not in LeaderboardEntry.Metric.values:
            raise InvalidInput(_("by must be gmv or sales."), field="by")
        entries = selectors.leaderboard(period=period, metric=metric)
        computed = selectors.leaderboard_computed_at(period=period, metric=metric)
        return Response({
            "period": period, "by": metric, "computed_at": computed and timezone.localtime(computed).isoformat(),
            "results": LeaderboardEntrySerializer(entries, many=True).data,
        })
