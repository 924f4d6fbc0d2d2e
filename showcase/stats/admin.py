from django.contrib import admin

from core.admin_display import YuanAdminMixin

from .models import DailyStat, LeaderboardEntry, SaleRecord


@admin.register(DailyStat)
class DailyStatAdmin(YuanAdminMixin, admin.ModelAdmin):
    list_display = ("day", "creator", "channel", "product", "impressions", "views", "clicks", "orders", "gmv_fen",
                    "commission_fen")
    list_filter = ("channel", "day")
    search_fields = ("creator__handle", "creator__nickname", "product__title")
    raw_id_fields = ("creator", "product")
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SaleRecord)
class SaleRecordAdmin(YuanAdminMixin, admin.ModelAdmin):
    list_display = ("order_ref", "creator", "channel", "product", "quantity", "gmv_fen", "commission_fen", "paid_at",
                    "refunded_at")
    list_filter = ("channel", "day")
    search_fields = ("order_ref", "creator__handle")
    raw_id_fields = ("creator", "product")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LeaderboardEntry)
class LeaderboardEntryAdmin(YuanAdminMixin, admin.ModelAdmin):
    list_display = ("period", "metric", "rank", "creator", "gmv_fen", "units", "computed_at")
    list_filter = ("period", "metric")

    def has_add_permission(self, request):  # computed by the leaderboard task: read only
        return False

    def has_change_permission(self, request, obj=None):
        return False
