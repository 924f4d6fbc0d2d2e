from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_display import YuanAdminMixin

from .models import Click


@admin.register(Click)
class ClickAdmin(admin.ModelAdmin):
    """Clicks are evidence for attribution: operators read them, nobody edits them."""

    list_display = ("id", "created_at", "channel", "creator", "product", "video", "live", "shopper", "short_visitor")
    list_filter = ("channel", ("created_at", admin.DateFieldListFilter), "product__source")
    search_fields = ("=id", "creator__handle", "shopper__handle", "=visitor_key", "product__title",
                     "=product__external_id")
    list_select_related = ("creator", "product", "video", "live", "shopper")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Click._meta.fields]
    show_full_result_count = False

    @admin.display(description=_("visitor"))
    def short_visitor(self, obj):
        return obj.visitor_key[:8]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


from core.errors import DomainError  # noqa: E402

from . import services  # noqa: E402
from .models import ExternalOrder, Order, OrderStatusChange, Payment, PaymentNotify, Refund, RefundStatus  # noqa: E402


class OrderStatusChangeInline(admin.TabularInline):
    model = OrderStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "from_status", "to_status", "action", "actor", "note")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(YuanAdminMixin, admin.ModelAdmin):
    """Orders move only through the lifecycle services: the status is read-only here."""

    list_display = ("number", "created_at", "status", "shop", "title", "quantity", "total_fen", "shopper", "creator",
                    "channel")
    list_filter = ("status", "channel", ("created_at", admin.DateFieldListFilter), "shop")
    search_fields = ("=number", "shopper__handle", "shop__name", "title", "=tracking_number")
    list_select_related = ("shop", "shopper", "creator")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Order._meta.fields]
    inlines = [OrderStatusChangeInline]
    actions = ["close_unpaid_overdue", "auto_confirm_due"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Close unpaid orders past their payment time limit"))
    def close_unpaid_overdue(self, request, queryset):
        self.message_user(request, _("%(n)s orders closed.") % {"n": services.orders_close_unpaid()})

    @admin.action(description=_("Confirm receipt of shipped orders past the waiting days"))
    def auto_confirm_due(self, request, queryset):
        try:
            n = services.orders_auto_confirm()
        except DomainError as exc:  # pragma: no cover
            self.message_user(request, exc.message)
            return
        self.message_user(request, _("%(n)s orders confirmed.") % {"n": n})


@admin.register(Payment)
class PaymentAdmin(YuanAdminMixin, admin.ModelAdmin):
    list_display = ("number", "order", "gateway", "amount_fen", "status", "created_at", "paid_at")
    list_filter = ("gateway", "status")
    search_fields = ("=number", "=gateway_trade_no", "=order__number")
    readonly_fields = [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Refund)
class RefundAdmin(YuanAdminMixin, admin.ModelAdmin):
    """Money sent back through the gateway after approved refunds; failed ones need an operator."""

    list_display = ("number", "order", "amount_fen", "quantity", "status", "after_completion", "stray", "attempts",
                    "last_error", "created_at", "refunded_at")
    list_filter = ("status", "after_completion", "stray")
    search_fields = ("=number", "=order__number", "=gateway_refund_no")
    readonly_fields = [f.name for f in Refund._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected failed refunds again"))
    def retry(self, request, queryset):
        failed = list(queryset.filter(status=RefundStatus.FAILED))
        for refund in failed:
            services.refund_retry(refund=refund)
        self.message_user(request, _("%(n)s refunds sent again.") % {"n": len(failed)})


@admin.register(PaymentNotify)
class PaymentNotifyAdmin(admin.ModelAdmin):
    """Every notify the gateways sent, with its outcome: forged and altered ones stand out."""

    list_display = ("received_at", "gateway", "notify_id", "payment", "outcome")
    list_filter = ("gateway", "outcome")
    search_fields = ("=notify_id", "=payment__number")
    readonly_fields = [f.name for f in PaymentNotify._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ExternalOrder)
class ExternalOrderAdmin(YuanAdminMixin, admin.ModelAdmin):
    list_display = ("source", "order_id", "line_id", "status", "paid_amount_fen", "shopper", "creator", "channel",
                    "ordered_at")
    list_filter = ("source", "status", "channel")
    search_fields = ("=order_id", "shopper__handle", "creator__handle", "title")
    list_select_related = ("shopper", "creator")
    readonly_fields = [f.name for f in ExternalOrder._meta.fields]

    def has_add_permission(self, request):
        return False
