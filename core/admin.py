"""Operators see the outbox: each event with who took it, and can hand events over again."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutboxDelivery, OutboxEvent
from .outbox import outbox_redeliver


class OutboxDeliveryInline(admin.TabularInline):
    model = OutboxDelivery
    extra = 0
    can_delete = False
    fields = ("receiver", "delivered_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class DeliveredFilter(admin.SimpleListFilter):
    title = _("delivered")
    parameter_name = "delivered"

    def lookups(self, request, model_admin):
        return [("yes", _("Taken by every receiver")), ("no", _("Waiting"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(delivered_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(delivered_at__isnull=True)
        return queryset


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ("id", "topic", "key", "created_at", "delivered_at")
    list_filter = ("topic", DeliveredFilter)
    search_fields = ("key",)
    date_hierarchy = "created_at"
    fields = ("topic", "key", "payload", "created_at", "delivered_at")
    readonly_fields = fields
    inlines = [OutboxDeliveryInline]
    actions = ["hand_over_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Hand over again"), permissions=["view"])
    def hand_over_again(self, request, queryset):
        count = outbox_redeliver(event_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, ngettext("%(count)d event handed over again.",
                                            "%(count)d events handed over again.", count) % {"count": count},
                          messages.SUCCESS)


from . import schedule_admin  # noqa: E402,F401  (periodic task names shown translated)
