"""Sandbox orders in admin, with the outside shop's steps as actions (dev and test only)."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin_display import YuanAdminMixin

from .models import SandboxLink, SandboxOrder
from .services import ORDER_ACTIONS, SandboxError


def _action(name: str, label):
    def run(modeladmin, request, queryset):
        done = 0
        for order in queryset.order_by("pk"):
            try:
                ORDER_ACTIONS[name](order=order)
                done += 1
            except SandboxError as exc:
                modeladmin.message_user(request, f"{order}: {exc}", messages.WARNING)
        modeladmin.message_user(request, _("%(count)d orders moved.") % {"count": done})

    run.__name__ = f"order_{name}"
    run.short_description = label
    return run


@admin.register(SandboxOrder)
class SandboxOrderAdmin(YuanAdminMixin, admin.ModelAdmin):
    list_display = ("source", "order_id", "line_id", "title", "quantity", "paid_amount_fen",
                    "estimated_commission_fen", "click_id", "status", "updated_at")
    list_filter = ("source", "status")
    search_fields = ("order_id", "click_id", "product_external_id")
    readonly_fields = [f.name for f in SandboxOrder._meta.fields]
    actions = [_action("pay", _("Pay")), _action("finish", _("Confirm receipt")),
               _action("settle", _("Settle commission")), _action("refund", _("Refund"))]


@admin.register(SandboxLink)
class SandboxLinkAdmin(admin.ModelAdmin):
    list_display = ("source", "code", "external_id", "click_id", "created_at")
    list_filter = ("source",)
    search_fields = ("code", "external_id", "click_id")
