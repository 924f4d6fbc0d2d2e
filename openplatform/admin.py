from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import OpenApp, WebhookDelivery
from .services import app_approve
from .webhooks import delivery_resend


@admin.register(OpenApp)
class OpenAppAdmin(admin.ModelAdmin):
    # The secret is never displayed nor edited here (models.py says why it is stored as is).
    list_display = ("name", "app_key", "developer", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "app_key")
    fields = ("developer", "name", "purpose", "callback_url", "webhook_url", "status", "app_key",
              "webhook_events", "quota_per_minute", "oauth_application", "created_at")
    readonly_fields = ("developer", "app_key", "status", "oauth_application", "created_at")
    actions = ["approve"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.action(description=_("Approve the selected apps"))
    def approve(self, request, queryset):
        for app in queryset:
            app_approve(app=app)
        messages.success(request, _("Approved."))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "topic", "app", "creator_id", "status", "attempts", "last_status_code", "next_attempt_at",
                    "created_at")
    list_filter = ("status", "topic")
    search_fields = ("event_key", "app__name", "app__app_key")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Resend the selected deliveries"))
    def resend(self, request, queryset):
        for d in queryset:
            delivery_resend(d)
        messages.success(request, _("Queued again."))
