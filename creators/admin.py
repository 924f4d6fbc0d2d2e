"""Operators' side: accounts, videos, and the review of product sharing applications.

Applications and rights change only through actions that call the services; the ID
number never appears here (only its masked form).
"""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_list import _boolean_icon
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.forms import UserCreationForm as DjangoUserCreationForm
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.errors import DomainError

from . import selectors, services
from .admin_governance import log_action
from .models import (
    CartApplication,
    CartApplicationEvent,
    CartRight,
    CartRightEvent,
    Follow,
    PhoneCode,
    RealNameVerification,
    User,
    Video,
)

# The admin names the platform on every page (issue 12 §6).
admin.site.site_header = _("Douyin Cart operations")
admin.site.site_title = _("Douyin Cart admin")
admin.site.index_title = _("Platform operations")


class ReadOnlyAdminMixin:
    """Rows that only services write."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Users -----------------------------------------------------------------------------------

class UserCreationForm(DjangoUserCreationForm):
    class Meta:
        model = User
        fields = ("handle", "nickname")
        field_classes: dict = {}


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        # The same fields as UserAdmin.fieldsets: nothing else can be posted through the form.
        fields = ("handle", "password", "nickname", "avatar", "bio", "fans_count", "following_count",
                  "phone", "phone_bound_at", "is_advertiser", "is_official", "is_active", "is_staff",
                  "is_superuser", "groups", "user_permissions", "last_login", "date_joined")
        field_classes: dict = {}


class RealNameInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = RealNameVerification
    fields = ["name_masked", "id_number_masked", "verifier", "verified_at"]
    readonly_fields = fields
    can_delete = False


class RightInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CartRight
    fields = ["kind", "status", "suspended_until", "reason", "granted_at"]
    readonly_fields = fields
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["-date_joined"]
    list_display = ["handle", "nickname", "fans_count", "following_count", "phone_is_bound", "is_advertiser",
                    "is_official", "is_staff", "date_joined"]
    list_filter = ["is_advertiser", "is_official", "is_staff", "is_active", ("phone", admin.EmptyFieldListFilter)]
    search_fields = ["handle", "nickname", "phone"]
    readonly_fields = ["fans_count", "following_count", "phone_bound_at", "last_login", "date_joined"]
    inlines = [RealNameInline, RightInline]
    fieldsets = (
        (None, {"fields": ("handle", "password")}),
        (_("Profile"), {"fields": ("nickname", "avatar", "bio", "fans_count", "following_count")}),
        (_("Phone"), {"fields": ("phone", "phone_bound_at")}),
        (_("Account kind"), {"fields": ("is_advertiser", "is_official")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("handle", "nickname", "password1", "password2")}),)

    @admin.display(boolean=True, description=_("phone bound"))
    def phone_is_bound(self, obj):
        return bool(obj.phone)


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "is_public", "is_original", "created_at"]
    list_filter = ["is_public", "is_original", "created_at"]
    search_fields = ["title", "owner__handle", "owner__nickname"]
    raw_id_fields = ["owner"]
    list_select_related = ["owner"]


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["follower", "followee", "created_at"]
    search_fields = ["follower__handle", "followee__handle"]
    list_select_related = ["follower", "followee"]


@admin.register(PhoneCode)
class PhoneCodeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "user", "created_at", "expires_at", "attempts", "used_at", "request_ip"]
    fields = ["user", "phone", "created_at", "expires_at", "attempts", "used_at", "request_ip"]
    search_fields = ["user__handle", "phone"]
    list_select_related = ["user"]


@admin.register(RealNameVerification)
class RealNameVerificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "name_masked", "id_number_masked", "verifier", "verified_at"]
    fields = ["user", "name_masked", "id_number_masked", "verifier", "verified_at"]
    search_fields = ["user__handle", "user__nickname"]
    list_select_related = ["user"]


# --- Review ----------------------------------------------------------------------------------

class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the creator sees it)"), widget=forms.Textarea(attrs={"rows": 3}))


class SuspendForm(ReasonForm):
    until = forms.DateTimeField(label=_("Suspended until"), help_text=_("Format: 2026-12-31 18:00"),
                                widget=forms.DateTimeInput(attrs={"placeholder": "2026-12-31 18:00"}))


def _action_page(modeladmin, request, queryset, *, form, action, title, button):
    return render(request, "creators/admin/action_form.html", {
        **modeladmin.admin_site.each_context(request),
        "title": title, "objects": queryset, "form": form, "action": action, "button": button,
        "opts": modeladmin.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    })


def _run(modeladmin, request, items, call) -> int:
    """Call the service for each item; each success writes the admin history (LogEntry)."""
    done = 0
    for item in items:
        try:
            result = call(item)
            done += 1
            target = result if hasattr(result, "_meta") else item
            target.refresh_from_db()
            status = target.get_status_display() if hasattr(target, "get_status_display") else ""
            found = modeladmin.get_action(request.POST.get("action", ""))
            done_by = str(found[2]).rstrip("…") if found else ""
            log_action(request, target, f"{done_by} → {status}" if status else done_by)
        except DomainError as e:
            modeladmin.message_user(request, f"{item}: {e.message}", messages.ERROR)
    return done


class HistoryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CartApplicationEvent
    fields = ["created_at", "from_status", "to_status", "actor", "note"]
    verbose_name_plural = _("application history")
    readonly_fields = fields
    extra = 0


@admin.register(CartApplication)
class CartApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["id", "applicant_handle", "applicant_nickname", "status", "entry_point", "is_advertiser",
                    "fans_at_submission", "submitted_at", "reviewed_by"]
    list_filter = ["status", "entry_point", ("submitted_at", admin.DateFieldListFilter), "is_advertiser"]
    search_fields = ["applicant__handle", "applicant__nickname"]
    list_select_related = ["applicant", "reviewed_by"]
    date_hierarchy = "submitted_at"
    actions = ["approve_selected", "reject_selected"]
    fields = ["applicant", "status", "entry_point", "is_advertiser", "submitted_at", "snapshot_table",
              "current_eligibility", "reviewed_at", "reviewed_by", "auto_approved", "reject_reason"]
    readonly_fields = fields
    inlines = [HistoryInline]
    change_form_template = "creators/admin/application_change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing here is edited by hand: review happens through the approve and reject actions.
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False,
                         "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("Douyin number"), ordering="applicant__handle")
    def applicant_handle(self, obj):
        return f"@{obj.applicant.handle}"

    @admin.display(description=_("nickname"), ordering="applicant__nickname")
    def applicant_nickname(self, obj):
        return obj.applicant.nickname

    @admin.display(description=_("fans at submission"))
    def fans_at_submission(self, obj):
        for item in obj.eligibility_snapshot.get("criteria", []):
            if item.get("key") == "fans":
                return item.get("value")
        return "—"

    @staticmethod
    def _table(rows, caption=""):
        def shown(value):
            if isinstance(value, bool):
                return _("yes") if value else _("no")
            return value

        body = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((r["label"], shown(r["value"]), shown(r["threshold"]), _boolean_icon(r["passed"])) for r in rows),
        )
        return format_html(
            '<table class="snapshot"><caption style="text-align:left">{}</caption><thead><tr><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            caption, _("criterion"), _("value"), _("threshold"), _("passed"), body,
        )

    @admin.display(description=_("eligibility at submission"))
    def snapshot_table(self, obj):
        checked = parse_datetime(obj.eligibility_snapshot.get("checked_at") or "")
        caption = _("checked at %(at)s") % {"at": timezone.localtime(checked).strftime("%Y-%m-%d %H:%M:%S")} if checked else ""
        return self._table(selectors.snapshot_rows(obj.eligibility_snapshot), caption)

    @admin.display(description=_("eligibility now"))
    def current_eligibility(self, obj):
        rows = [c.as_dict() for c in selectors.eligibility_for(obj.applicant).criteria]
        return self._table(rows)

    @admin.action(description=_("Approve selected applications (grants the three rights)"), permissions=["change"])
    def approve_selected(self, request, queryset):
        pending = queryset.filter(status=CartApplication.Status.PENDING).order_by("pk")
        done = _run(self, request, pending,
                    lambda a: services.cart_application_approve(application=a, reviewer=request.user))
        skipped = queryset.count() - pending.count()
        self.message_user(request, ngettext("%(n)d application approved.", "%(n)d applications approved.", done)
                          % {"n": done}, messages.SUCCESS if done else messages.WARNING)
        if skipped:
            self.message_user(request, ngettext("%(n)d was not pending and was left as it is.",
                                                "%(n)d were not pending and were left as they are.", skipped)
                              % {"n": skipped}, messages.WARNING)

    @admin.action(description=_("Reject selected applications…"), permissions=["change"])
    def reject_selected(self, request, queryset):
        pending = queryset.filter(status=CartApplication.Status.PENDING).order_by("pk")
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST:
            if form.is_valid():
                done = _run(self, request, pending, lambda a: services.cart_application_reject(
                    application=a, reviewer=request.user, reason=form.cleaned_data["reason"]))
                self.message_user(request, ngettext("%(n)d application rejected.", "%(n)d applications rejected.",
                                                    done) % {"n": done}, messages.SUCCESS if done else messages.WARNING)
                return None
            self.message_user(request, _("A reason is required to reject an application; nothing was rejected."),
                              messages.ERROR)
        return _action_page(self, request, pending, form=form, action="reject_selected",
                            title=_("Reject product sharing applications"), button=_("Reject"))

class RightHistoryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CartRightEvent
    fields = ["created_at", "from_status", "to_status", "suspended_until", "reason", "actor"]
    readonly_fields = fields
    extra = 0


@admin.register(CartRight)
class CartRightAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "status", "effective", "suspended_until", "reason", "granted_at"]
    list_filter = ["kind", "status"]
    search_fields = ["user__handle", "user__nickname"]
    list_select_related = ["user"]
    fields = ["user", "kind", "status", "suspended_until", "reason", "application", "granted_at", "updated_at"]
    readonly_fields = fields
    inlines = [RightHistoryInline]
    actions = ["suspend_selected", "revoke_selected", "reinstate_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False,
                         "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("in effect"))
    def effective(self, obj):
        return CartRight.Status(obj.effective_status()).label

    def _with_reason(self, request, queryset, *, form_class, action, title, button, call):
        form = form_class(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST:
            if form.is_valid():
                done = _run(self, request, queryset.order_by("pk"), lambda r: call(r, form.cleaned_data))
                self.message_user(request, ngettext("%(n)d right changed.", "%(n)d rights changed.", done)
                                  % {"n": done}, messages.SUCCESS if done else messages.WARNING)
                return None
            self.message_user(request, _("Fill in every field; nothing was changed."), messages.ERROR)
        return _action_page(self, request, queryset, form=form, action=action, title=title, button=button)

    @admin.action(description=_("Suspend selected rights until a date…"), permissions=["change"])
    def suspend_selected(self, request, queryset):
        return self._with_reason(
            request, queryset, form_class=SuspendForm, action="suspend_selected", title=_("Suspend rights"),
            button=_("Suspend"), call=lambda r, d: services.cart_right_suspend(
                user=r.user, kind=r.kind, until=d["until"], reason=d["reason"], actor=request.user))

    @admin.action(description=_("Revoke selected rights…"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        return self._with_reason(
            request, queryset, form_class=ReasonForm, action="revoke_selected", title=_("Revoke rights"),
            button=_("Revoke"), call=lambda r, d: services.cart_right_revoke(
                user=r.user, kind=r.kind, reason=d["reason"], actor=request.user))

    @admin.action(description=_("Reinstate selected rights"), permissions=["change"])
    def reinstate_selected(self, request, queryset):
        done = _run(self, request, queryset.order_by("pk"), lambda r: services.cart_right_reinstate(
            user=r.user, kind=r.kind, actor=request.user))
        self.message_user(request, ngettext("%(n)d right reinstated.", "%(n)d rights reinstated.", done) % {"n": done},
                          messages.SUCCESS if done else messages.WARNING)


from . import admin_rules  # noqa: E402,F401  (rules center, credit score: registers its models)
