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


# --- django-oauth-toolkit's admin, with its actions and columns in our words --------------------------
# The toolkit's admin classes keep its safeguards (tokens masked, revoke instead of delete); only
# their English literals (action names, column titles, messages) are replaced by marked strings.
def _toolkit_admins():
    from django.utils.translation import ngettext
    from oauth2_provider import admin as toolkit
    from oauth2_provider.models import (
        get_access_token_model,
        get_grant_model,
        get_refresh_token_model,
        revoke_access_token,
    )

    class AccessTokenAdmin(toolkit.AccessTokenAdmin):
        @admin.action(description=_("Revoke the selected access tokens"))
        def revoke_tokens(self, request, queryset):
            revoked = 0
            for access_token in queryset:
                revoke_access_token(access_token)
                revoked += 1
            self.message_user(request, ngettext("Revoked %d access token.", "Revoked %d access tokens.",
                                                revoked) % revoked)

        @admin.display(description=_("token"))
        def masked_token(self, obj):
            return super().masked_token(obj)

    class RefreshTokenAdmin(toolkit.RefreshTokenAdmin):
        @admin.action(description=_("Revoke the selected refresh tokens"))
        def revoke_tokens(self, request, queryset):
            revoked = 0
            for refresh_token in queryset:
                refresh_token.revoke()
                revoked += 1
            self.message_user(request, ngettext("Revoked %d refresh token.", "Revoked %d refresh tokens.",
                                                revoked) % revoked)

        @admin.display(description=_("token"))
        def masked_token(self, obj):
            return super().masked_token(obj)

    class GrantAdmin(toolkit.GrantAdmin):
        @admin.display(description=_("code"))
        def masked_code(self, obj):
            return super().masked_code(obj)

    return {get_access_token_model(): AccessTokenAdmin, get_refresh_token_model(): RefreshTokenAdmin,
            get_grant_model(): GrantAdmin}


for _model, _admin_class in _toolkit_admins().items():
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin_class)
