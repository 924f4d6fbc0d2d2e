"""Operators' view of the commissions room: read-only lines, ledger and checks; fee rates are
added (a new rate in force from a moment), never edited, so their rows are their history."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from affiliates.models import ProductSource
from core.admin_display import YuanAdminMixin
from core.money import MoneyFormatError, bp_to_percent, percent_to_bp

from .checks import ledger_check_and_alert
from .models import CommissionLine, FeeRate, LedgerAccount, LedgerCheckRun, LedgerEntry, LedgerTransaction, ShopProceeds


class ReadOnlyAdmin(YuanAdminMixin, admin.ModelAdmin):
    """Rows written by services only: operators look, never add, edit or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FeeRateForm(forms.ModelForm):
    rate_percent = forms.CharField(label=_("Fee rate (percent of the commission)"), max_length=8,
                                   help_text=_("For example 10 or 10.5: the share of each commission the platform keeps."))

    class Meta:
        model = FeeRate
        fields = ["source", "effective_from", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"] = forms.ChoiceField(
            label=_("source"), choices=[c for c in ProductSource.choices if c[0] != ProductSource.TAOBAO])

    def clean_rate_percent(self):
        try:
            bp = percent_to_bp(self.cleaned_data["rate_percent"])
        except MoneyFormatError:
            raise forms.ValidationError(_("Enter a percentage with at most two decimals, e.g. 10 or 10.5.")) from None
        if bp > 10_000:
            raise forms.ValidationError(_("A fee cannot exceed the whole commission."))
        return bp


@admin.register(FeeRate)
class FeeRateAdmin(admin.ModelAdmin):
    form = FeeRateForm
    list_display = ["source_label", "rate", "effective_from", "note", "created_by", "created_at"]
    list_filter = ["source"]
    date_hierarchy = "effective_from"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["source", "rate_percent", "effective_from", "note"]
        return ["source_label", "rate", "effective_from", "note", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    @admin.display(description=_("source"), ordering="source")
    def source_label(self, obj):
        return ProductSource(obj.source).label if obj.source in ProductSource.values else obj.source

    @admin.display(description=_("fee rate"), ordering="rate_bp")
    def rate(self, obj):
        return bp_to_percent(obj.rate_bp)

    def has_change_permission(self, request, obj=None):
        return False  # a new rate is a new row: the old one stays as history

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.rate_bp = form.cleaned_data["rate_percent"]
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CommissionLine)
class CommissionLineAdmin(ReadOnlyAdmin):
    list_display = ["order_number", "creator", "source", "channel", "status", "paid_fen", "refunded_fen",
                    "commission_fen", "fee_fen", "net_fen", "paid_at", "settled_at"]
    list_filter = ["status", "source", "channel"]
    search_fields = ["order_number", "creator__handle", "title"]
    date_hierarchy = "paid_at"
    list_select_related = ["creator"]
    readonly_fields = [f.name for f in CommissionLine._meta.fields]


class EntryInline(YuanAdminMixin, admin.TabularInline):
    model = LedgerEntry
    fields = ["account", "amount_fen", "line"]
    readonly_fields = ["account", "amount_fen", "line"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "memo", "created_at"]
    list_filter = ["kind"]
    search_fields = ["key", "memo"]
    date_hierarchy = "created_at"
    readonly_fields = ["key", "kind", "memo", "created_at"]
    inlines = [EntryInline]


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ["owner_kind", "owner_id", "kind", "balance_fen", "updated_at"]
    list_filter = ["owner_kind", "kind"]
    search_fields = ["=owner_id"]
    readonly_fields = ["owner_kind", "owner_id", "kind", "balance_fen", "updated_at"]


@admin.register(ShopProceeds)
class ShopProceedsAdmin(ReadOnlyAdmin):
    list_display = ["order_number", "shop_id", "status", "paid_fen", "refunded_fen", "commission_fen",
                    "proceeds_fen", "paid_at", "available_at"]
    list_filter = ["status"]
    search_fields = ["order_number", "=shop_id"]
    readonly_fields = [f.name for f in ShopProceeds._meta.fields]


@admin.register(LedgerCheckRun)
class LedgerCheckRunAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "ok", "transactions", "accounts"]
    list_filter = ["ok"]
    readonly_fields = ["ran_at", "ok", "transactions", "accounts", "problems"]
    actions = ["check_now"]

    @admin.action(description=_("Check the ledger now"))
    def check_now(self, request, queryset):
        result = ledger_check_and_alert()
        if result.ok:
            self.message_user(request, _("The ledger balances: %(t)d transactions, %(a)d accounts checked.") % {
                "t": result.transactions, "a": result.accounts}, messages.SUCCESS)
        else:
            self.message_user(request, ngettext("The ledger check found %(count)d problem.",
                                                "The ledger check found %(count)d problems.",
                                                len(result.problems)) % {"count": len(result.problems)},
                              messages.ERROR)

    def changelist_view(self, request, extra_context=None):
        # The action runs a check, not something done to the selected rows: allow it with none selected.
        if request.method == "POST" and request.POST.get("action") == "check_now" and not request.POST.getlist(
                admin.helpers.ACTION_CHECKBOX_NAME):
            post = request.POST.copy()
            post.setlist(admin.helpers.ACTION_CHECKBOX_NAME,
                         [str(pk) for pk in LedgerCheckRun.objects.values_list("pk", flat=True)[:1]] or ["0"])
            request.POST = post
        return super().changelist_view(request, extra_context)
