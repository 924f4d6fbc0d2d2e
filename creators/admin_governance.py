"""Operators' side of governance (issue 12): appeals decided by actions, penalties and their
history, the points-by-severity table and the penalty ladder. Imported by ``admin_rules.py``.

Every action calls a service and writes the admin history (LogEntry) saying what changed;
django-simple-history keeps the field-level audit trail (the "History" button)."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.errors import DomainError

from .models import Appeal, AppealImage, CartRight, Penalty, PenaltyRule, RuleVersion, SeverityPoints, ViolationImage
from .services.governance import appeal_decide


def log_action(request, obj, message: str) -> None:
    """One admin history (LogEntry) row: who did what to ``obj``."""
    LogEntry.objects.log_actions(user_id=request.user.pk, queryset=[obj], action_flag=CHANGE,
                                 change_message=message, single_object=True)


class RuleVersionInline(admin.TabularInline):
    model = RuleVersion
    fields = ["version", "title", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ViolationImageInline(admin.TabularInline):
    model = ViolationImage
    fields = ["image"]
    extra = 1
    verbose_name = _("evidence image")
    verbose_name_plural = _("evidence images")


class AppealImageInline(admin.TabularInline):
    model = AppealImage
    fields = ["image"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Answer to the creator"), widget=forms.Textarea(attrs={"rows": 3}),
                           required=False, max_length=1000)


@admin.register(Appeal)
class AppealAdmin(SimpleHistoryAdmin):
    list_display = ["violation", "creator", "status", "submitted_at", "decided_at", "decided_by"]
    list_filter = ["status", "violation__severity", "violation__right_kind"]
    search_fields = ["creator__handle", "creator__nickname", "text", "violation__summary"]
    date_hierarchy = "submitted_at"
    list_select_related = ["violation", "creator", "decided_by"]
    fields = ["violation", "creator", "text", "status", "decision_note", "submitted_at", "decided_at", "decided_by"]
    readonly_fields = fields
    inlines = [AppealImageInline]
    actions = ["uphold", "reject"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, *, uphold: bool, title):
        form = DecisionForm(request.POST if "apply" in request.POST else None)
        if not (form.is_bound and form.is_valid()):
            return render(request, "creators/admin/appeal_decide.html", {
                **self.admin_site.each_context(request), "form": form, "appeals": queryset, "title": title,
                "opts": self.model._meta, "action": request.POST.get("action"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            })
        done = 0
        for appeal in queryset.order_by("pk"):
            try:
                decided = appeal_decide(appeal_id=appeal.pk, uphold=uphold, note=form.cleaned_data["note"],
                                        actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"#{appeal.pk}: {exc.message}", messages.ERROR)
                continue
            done += 1
            log_action(request, decided, f"{decided.get_status_display()}: {decided.decision_note}".strip(": "))
        if done:
            self.message_user(request, ngettext("%(n)d appeal decided.", "%(n)d appeals decided.", done)
                              % {"n": done}, messages.SUCCESS)
        return None

    @admin.action(description=_("Uphold: restore the points and lift the penalty"), permissions=["change"])
    def uphold(self, request, queryset):
        return self._decide(request, queryset, uphold=True, title=_("Uphold appeals"))

    @admin.action(description=_("Reject (say why)"), permissions=["change"])
    def reject(self, request, queryset):
        return self._decide(request, queryset, uphold=False, title=_("Reject appeals"))


class InForceFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("yes", _("In force")), ("no", _("Lifted"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(lifted_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(lifted_at__isnull=False)
        return queryset


@admin.register(Penalty)
class PenaltyAdmin(SimpleHistoryAdmin):
    list_display = ["violation", "creator", "kind", "right_label", "starts_at", "ends_at", "lifted_at"]
    list_filter = [InForceFilter, "kind"]
    search_fields = ["creator__handle", "creator__nickname", "violation__summary"]
    date_hierarchy = "starts_at"
    list_select_related = ["violation", "creator"]
    fields = ["violation", "creator", "kind", "right_label", "starts_at", "ends_at", "lifted_at", "lift_reason"]
    readonly_fields = fields

    @admin.display(description=_("right concerned"), ordering="right_kind")
    def right_label(self, obj):
        return CartRight.Kind(obj.right_kind).label if obj.right_kind in CartRight.Kind.values else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SeverityPoints)
class SeverityPointsAdmin(admin.ModelAdmin):
    list_display = ["severity", "points"]
    list_editable = ["points"]


@admin.register(PenaltyRule)
class PenaltyRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "min_severity", "score_at_most", "days", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["days", "is_active"]
