"""Operators' side of the rules center: rules, FAQ, violations (confirm with the credit
penalty, dismiss, publish on the board) and credit scores. Imported by ``admin.py``."""
from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.errors import DomainError

from .models import CreditAccount, CreditEvent, FaqEntry, RuleArticle, Violation
from .selectors import credit_score_of
from .services.credit import credit_restore, penalty_for, violation_confirm, violation_dismiss


@admin.register(RuleArticle)
class RuleArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "is_published", "order", "updated_at"]
    list_filter = ["category", "is_published"]
    list_editable = ["order", "is_published"]
    search_fields = ["title", "summary", "body"]


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "is_published", "order"]
    list_editable = ["order", "is_published"]
    search_fields = ["question", "answer"]


class ViolationForm(forms.ModelForm):
    class Meta:
        model = Violation
        fields = ["creator", "rule", "right_kind", "summary", "details", "points", "occurred_on"]

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points < 1:
            raise forms.ValidationError(_("A violation deducts at least one point."))
        return points


@admin.register(Violation)
class ViolationAdmin(admin.ModelAdmin):
    form = ViolationForm
    list_display = ["summary", "creator", "rule", "right_kind", "points", "status", "penalty", "score_after",
                    "is_published", "occurred_on"]
    list_filter = ["status", "penalty", "right_kind", "is_published", "rule"]
    search_fields = ["creator__handle", "creator__nickname", "summary"]
    raw_id_fields = ["creator"]
    date_hierarchy = "occurred_on"
    list_select_related = ["creator", "rule"]
    actions = ["confirm", "dismiss", "publish", "unpublish"]
    readonly_fields = ["status", "penalty", "suspended_until", "score_after", "is_published", "reported_at",
                       "decided_at", "decided_by", "current_score"]

    def get_fields(self, request, obj=None):
        base = ["creator", "rule", "right_kind", "summary", "details", "points", "occurred_on"]
        return base if obj is None else base + self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Violation.Status.PENDING:
            return ["creator", "rule", "right_kind", "summary", "details", "points", "occurred_on",
                    *self.readonly_fields]
        return self.readonly_fields

    @admin.display(description=_("current credit score (penalty if confirmed)"))
    def current_score(self, obj):
        score = credit_score_of(obj.creator)
        if obj.status != Violation.Status.PENDING:
            return score
        penalty, days = penalty_for(max(score - obj.points, 0))
        label = Violation.Penalty(penalty).label
        return f"{score} → {max(score - obj.points, 0)}: {label}" + (f" ({days}d)" if days else "")

    def _each(self, request, queryset, action, done_message):
        done, errors = 0, []
        for violation in queryset.order_by("pk"):
            try:
                action(violation_id=violation.pk, actor=request.user)
                done += 1
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
        count = queryset.filter(status=Violation.Status.CONFIRMED).update(is_published=True)
        self.message_user(request, ngettext("%(n)d violation published.", "%(n)d violations published.", count)
                          % {"n": count}, messages.SUCCESS)

    @admin.action(description=_("Hide from the public board"))
    def unpublish(self, request, queryset):
        queryset.update(is_published=False)


class CreditEventInline(admin.TabularInline):
    model = CreditEvent
    fk_name = "user"
    fields = ["created_at", "delta", "score_after", "reason", "actor"]
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
