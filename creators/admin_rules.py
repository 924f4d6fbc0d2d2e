"""Operators' side of the rules center: rules, FAQ, violations (confirm with the credit
penalty, dismiss, publish on the board) and credit scores. Imported by ``admin.py``."""
from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.errors import DomainError

from .admin_governance import RuleVersionInline, ViolationImageInline, log_action
from .models import CreditAccount, CreditEvent, FaqEntry, RuleArticle, Violation
from .selectors import credit_score_of
from .services.credit import (
    credit_restore,
    penalty_for,
    points_for,
    rule_version_current,
    violation_confirm,
    violation_dismiss,
    violation_record,
)


@admin.register(RuleArticle)
class RuleArticleAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "category", "version", "is_published", "order", "updated_at"]
    list_filter = ["category", "is_published"]
    list_editable = ["order", "is_published"]
    search_fields = ["code", "title", "summary", "body"]
    readonly_fields = ["version"]
    inlines = [RuleVersionInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        rule_version_current(rule=obj)  # a changed text becomes the next version in force


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "is_published", "order"]
    list_editable = ["order", "is_published"]
    search_fields = ["question", "answer"]


class ViolationForm(forms.ModelForm):
    class Meta:
        model = Violation
        fields = ["creator", "rule", "severity", "right_kind", "summary", "details", "evidence", "related_type",
                  "related_id", "occurred_on"]

    def clean_severity(self):
        severity = self.cleaned_data["severity"]
        if not severity:
            raise forms.ValidationError(_("Choose a severity: it sets the points deducted."))
        try:
            points_for(severity)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
        return severity

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "related_type" in self.fields:  # a video, a live session or a product
            self.fields["related_type"].queryset = ContentType.objects.filter(
                Q(app_label="creators", model="video") | Q(app_label="showcase", model="livesession")
                | Q(app_label="affiliates", model="product"))

    def clean(self):
        data = super().clean()
        related_type, related_id = data.get("related_type"), data.get("related_id")
        if bool(related_type) != bool(related_id):
            raise forms.ValidationError(_("Give both the related kind and its id, or neither."))
        model = related_type.model_class() if related_type else None
        if related_type and (model is None or not model._default_manager.filter(pk=related_id).exists()):
            self.add_error("related_id", _("No such related object."))
        return data


EDITABLE = ["creator", "rule", "severity", "right_kind", "summary", "details", "evidence", "related_type",
            "related_id", "occurred_on"]


@admin.register(Violation)
class ViolationAdmin(SimpleHistoryAdmin):
    form = ViolationForm
    list_display = ["summary", "creator", "rule", "severity", "right_kind", "points", "status", "penalty",
                    "score_after", "is_published", "occurred_on"]
    list_filter = ["status", "severity", "penalty", "right_kind", "is_published", "rule"]
    search_fields = ["creator__handle", "creator__nickname", "summary", "rule__code", "rule__title"]
    raw_id_fields = ["creator"]
    date_hierarchy = "occurred_on"
    list_select_related = ["creator", "rule"]
    actions = ["confirm", "dismiss", "publish", "unpublish"]
    inlines = [ViolationImageInline]
    readonly_fields = ["points", "rule_version", "status", "penalty", "suspended_until", "score_after",
                       "is_published", "reported_at", "decided_at", "decided_by", "current_score"]

    def get_fields(self, request, obj=None):
        return EDITABLE if obj is None else EDITABLE + self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Violation.Status.PENDING:
            return [*EDITABLE, *self.readonly_fields]
        return self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is None or obj.status == Violation.Status.PENDING else []

    def save_model(self, request, obj, form, change):
        if change:  # still pending (decided ones are read only): points and rule version follow the edit
            obj.points = points_for(obj.severity) if obj.severity else obj.points
            obj.rule_version = rule_version_current(rule=obj.rule) if obj.rule_id else None
            super().save_model(request, obj, form, change)
        else:
            violation_record(violation=obj, actor=request.user)

    @admin.display(description=_("current credit score (penalty if confirmed)"))
    def current_score(self, obj):
        score = credit_score_of(obj.creator)
        if obj.status != Violation.Status.PENDING:
            return score
        penalty, days = penalty_for(max(score - obj.points, 0), obj.severity)
        label = Violation.Penalty(penalty).label
        return f"{score} → {max(score - obj.points, 0)}: {label}" + (f" ({days}d)" if days else "")

    def _each(self, request, queryset, action, done_message):
        done, errors = 0, []
        for violation in queryset.order_by("pk"):
            try:
                decided = action(violation_id=violation.pk, actor=request.user)
                done += 1
                log_action(request, decided, f"{decided.get_status_display()}: {decided.get_penalty_display()}"
                           if decided.penalty else str(decided.get_status_display()))
            except DomainError as exc:
                errors.append(f"#{violation.pk}: {exc.message}")
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for error in errors:
            self.message_user(request, error, messages.ERROR)

    @admin.action(description=_("Confirm: deduct points, apply the penalty, publish"))
    def confirm(self, request, queryset):
        self._each(request, queryset, violation_confirm,
                   lambda n: ngettext("%(n)d violation confirmed.", "%(n)d violations confirmed.", n) % {"n": n})

    @admin.action(description=_("Dismiss"))
    def dismiss(self, request, queryset):
        self._each(request, queryset, violation_dismiss,
                   lambda n: ngettext("%(n)d violation dismissed.", "%(n)d violations dismissed.", n) % {"n": n})

    @admin.action(description=_("Show on the public board"))
    def publish(self, request, queryset):
        count = 0
        for violation in queryset.filter(status=Violation.Status.CONFIRMED, is_published=False):
            violation.is_published = True
            violation.save(update_fields=["is_published"])
            log_action(request, violation, "published on the board")
            count += 1
        self.message_user(request, ngettext("%(n)d violation published.", "%(n)d violations published.", count)
                          % {"n": count}, messages.SUCCESS)

    @admin.action(description=_("Hide from the public board"))
    def unpublish(self, request, queryset):
        for violation in queryset.filter(is_published=True):
            violation.is_published = False
            violation.save(update_fields=["is_published"])
            log_action(request, violation, "hidden from the board")


class CreditEventInline(admin.TabularInline):
    model = CreditEvent
    fk_name = "user"
    fields = ["created_at", "kind", "delta", "score_after", "reason", "actor"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class RestoreForm(forms.Form):
    points = forms.IntegerField(label=_("Points to give back"), min_value=1, max_value=12)
    reason = forms.CharField(label=_("Reason (the creator will see it)"), max_length=200)


@admin.register(CreditAccount)
class CreditAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "score", "updated_at"]
    search_fields = ["user__handle", "user__nickname"]
    list_filter = ["score"]
    readonly_fields = ["user", "score", "updated_at"]
    actions = ["restore"]

    def has_add_permission(self, request):
        return False

    def get_inlines(self, request, obj):
        return [CreditEventInline] if obj else []

    @admin.action(description=_("Give points back"))
    def restore(self, request, queryset):
        form = RestoreForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            for account in queryset.select_related("user").order_by("pk"):
                try:
                    credit_restore(user=account.user, points=form.cleaned_data["points"],
                                   reason=form.cleaned_data["reason"], actor=request.user)
                    log_action(request, account, f"+{form.cleaned_data['points']}: {form.cleaned_data['reason']}")
                except DomainError as exc:
                    self.message_user(request, exc.message, messages.ERROR)
                    return None
            self.message_user(request, _("Points given back."), messages.SUCCESS)
            return None
        return render(request, "creators/admin/credit_restore.html", {
            **self.admin_site.each_context(request), "form": form, "accounts": queryset,
            "title": _("Give points back"), "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })
