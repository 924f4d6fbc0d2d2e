from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import OpenApp
from .services import app_approve


@admin.register(OpenApp)
class OpenAppAdmin(admin.ModelAdmin):
    # The secret is never displayed nor edited here (models.py says why it is stored as is).
    list_display = ("name", "app_key", "developer", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "app_key")
    fields = ("developer", "name", "purpose", "callback_url", "webhook_url", "status", "app_key",
              "quota_per_minute", "oauth_application", "created_at")
    readonly_fields = ("developer", "app_key", "status", "oauth_application", "created_at")
    actions = ["approve"]

    @admin.action(description=_("Approve the selected apps"))
    def approve(self, request, queryset):
        for app in queryset:
            app_approve(app=app)
        messages.success(request, _("Approved."))
