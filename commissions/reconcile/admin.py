"""Operators' view of reconciliation: runs with their counts, items filterable by kind, and a
button (and an action) that starts a run. Nothing here edits an amount: rows are what the runs
found, and running a day again replaces them."""
from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from affiliates.models import ProductSource
from affiliates.sources.values import CN_TZ
from core.admin_display import YuanAdminMixin
from orders import conf as orders_conf

from .models import ReconciliationItem, ReconciliationRun, RunKind, RunStatus
from .services import RECONCILED_SOURCES, yesterday
from .tasks import reconcile_run_task

INLINE_ITEMS = 100


def _source_label(source: str) -> str:
    return str(ProductSource(source).label) if source in ProductSource.values else source


def _targets() -> list[tuple[str, str]]:
    """What a run can reconcile: each outside source, and the payment gateway."""
    gateway = orders_conf.get("PAYMENT_GATEWAY")
    return [*[(f"{RunKind.SOURCE}:{s}", gettext("Commission of %(source)s") % {"source": _source_label(s)})
              for s in RECONCILED_SOURCES],
            (f"{RunKind.PAYMENTS}:{gateway}", gettext("Payments and refunds (gateway %(gateway)s)") % {"gateway": gateway})]


class StartRunForm(forms.Form):
    target = forms.ChoiceField(label=_("Reconcile"))
    day = forms.DateField(label=_("Day (Beijing time)"), help_text=_("YYYY-MM-DD; running a day again replaces "
                                                                     "what it found."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = _targets()
        self.fields["day"].initial = yesterday()

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.now().astimezone(CN_TZ).date():
            raise forms.ValidationError(_("A day that has not begun cannot be reconciled."))
        return day


def _enqueue(kind: str, source: str, day: datetime.date, user) -> None:
    transaction.on_commit(lambda: reconcile_run_task.delay(kind, source, day.isoformat(), user.pk))


class ItemInline(YuanAdminMixin, admin.TabularInline):
    model = ReconciliationItem
    fields = ["order_ref", "kind", "ours_fen", "theirs_fen", "difference_fen", "note"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = _("items (the first 100)")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        first = list(qs.order_by("kind", "order_ref").values_list("pk", flat=True)[:INLINE_ITEMS])
        return qs.filter(pk__in=first)

    @admin.display(description=_("note"))
    def note(self, obj):
        return obj.note

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(YuanAdminMixin, admin.ModelAdmin):
    change_list_template = "reconcile/admin/run_change_list.html"
    list_display = ["day", "kind", "source_label", "status", "balanced", "ours_count", "theirs_count",
                    "matched_count", "missing_here_count", "missing_there_count", "mismatch_count",
                    "ours_total_fen", "theirs_total_fen", "items_link", "finished_at"]
    list_display_links = ["day", "kind"]
    list_filter = ["kind", "source", "status"]
    date_hierarchy = "day"
    actions = ["run_again"]
    inlines = [ItemInline]
    fieldsets = [
        (None, {"fields": ["kind", "source_label", "day", "status", "error", "items_link"]}),
        (_("Counts"), {"fields": ["ours_count", "theirs_count", "matched_count", "missing_here_count",
                                  "missing_there_count", "mismatch_count", "ours_total_fen", "theirs_total_fen"]}),
        (_("Times"), {"fields": ["started_at", "finished_at", "started_by"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ReconciliationRun._meta.fields] + ["source_label", "items_link"]

    def has_add_permission(self, request):
        return False  # runs are started with the button: a service fills them

    def has_change_permission(self, request, obj=None):
        return False  # what a run found is its own record

    def has_delete_permission(self, request, obj=None):
        return False

    def has_start_permission(self, request) -> bool:
        return request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")

    @admin.display(description=_("source"), ordering="source")
    def source_label(self, obj):
        return _source_label(obj.source)

    @admin.display(description=_("balanced"), boolean=True)
    def balanced(self, obj):
        if obj.status != RunStatus.DONE:
            return None
        return obj.item_count == 0

    @admin.display(description=_("items"))
    def items_link(self, obj):
        if not obj.pk or not obj.item_count:
            return "—"
        url = reverse("admin:reconcile_reconciliationitem_changelist") + f"?run__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, ngettext("%(n)d item", "%(n)d items", obj.item_count)
                           % {"n": obj.item_count})

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [path("start/", self.admin_site.admin_view(self.start_view), name="{}_{}_start".format(*info)),
                *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_start": self.has_start_permission(request)}
        return super().changelist_view(request, extra_context=extra_context)

    def start_view(self, request):
        if not self.has_start_permission(request):
            raise PermissionDenied
        form = StartRunForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            kind, source = form.cleaned_data["target"].split(":", 1)
            day = form.cleaned_data["day"]
            _enqueue(kind, source, day, request.user)
            self.message_user(request, gettext("Reconciliation of %(target)s for %(day)s started; it is listed here "
                                               "when it finishes.") % {"target": dict(_targets())[f"{kind}:{source}"],
                                                                       "day": day.isoformat()}, messages.SUCCESS)
            return redirect("admin:reconcile_reconciliationrun_changelist")
        return render(request, "reconcile/admin/start_run.html", {
            **self.admin_site.each_context(request), "form": form, "opts": self.opts,
            "title": gettext("Start a reconciliation"),
        })

    @admin.action(description=_("Run the selected days again"), permissions=["start"])
    def run_again(self, request, queryset):
        runs = list(queryset.order_by("day", "kind", "source"))
        for run in runs:
            _enqueue(run.kind, run.source, run.day, request.user)
        self.message_user(request, ngettext("%(n)d reconciliation started.", "%(n)d reconciliations started.",
                                            len(runs)) % {"n": len(runs)}, messages.SUCCESS)


@admin.register(ReconciliationItem)
class ReconciliationItemAdmin(YuanAdminMixin, admin.ModelAdmin):
    list_display = ["order_ref", "kind", "run_day", "run_source", "ours_fen", "theirs_fen", "difference_fen", "note"]
    list_filter = ["kind", "run__kind", "run__source", "run__day"]
    search_fields = ["order_ref"]
    list_select_related = ["run"]
    fields = ["run", "order_ref", "kind", "ours_fen", "theirs_fen", "difference_fen", "note"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def lookup_allowed(self, lookup, value, request=None):
        return lookup == "run__id__exact" or super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("day"), ordering="run__day")
    def run_day(self, obj):
        return obj.run.day

    @admin.display(description=_("source"), ordering="run__source")
    def run_source(self, obj):
        return _source_label(obj.run.source)

    @admin.display(description=_("note"))
    def note(self, obj):
        return obj.note

