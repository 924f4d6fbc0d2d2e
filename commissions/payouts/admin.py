"""Finance's side of withdrawals: approve or reject (with a reason) by actions that call the
services and write the admin history (LogEntry); nothing about a withdrawal is edited by a form.
django-simple-history keeps every status change (the "History" button). Payout accounts and the
gateway's results are read-only. Staff groups: ``Finance`` only (creators/staff_groups.py)."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from affiliates.models import Shop
from core.admin_display import YuanAdminMixin
from core.errors import DomainError

from . import services
from .gateway import get_payout_gateway
from .models import PayoutAccount, PayoutResult, Withdrawal, WithdrawalStatus


def _log(request, obj, message: str) -> None:
    LogEntry.objects.log_actions(user_id=request.user.pk, queryset=[obj], action_flag=CHANGE,
                                 change_message=message, single_object=True)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the creator or shop reads it)"), max_length=200,
                             widget=forms.Textarea(attrs={"rows": 3}))


def _owner_name():
    """The creator's @handle or the shop's name, in one query for the whole list."""
    users = get_user_model().objects.filter(pk=OuterRef("owner_id")).values("handle")[:1]
    shops = Shop.objects.filter(pk=OuterRef("owner_id")).values("name")[:1]
    return Case(
        When(owner_kind="creator", then=Concat(Value("@"), Coalesce(Subquery(users), Value("?")))),
        When(owner_kind="shop", then=Coalesce(Subquery(shops), Value("?"))),
        output_field=CharField())


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Withdrawal)
class WithdrawalAdmin(YuanAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "owner_kind", "owner", "amount_fen", "status", "account", "created_at", "decided_by",
                    "finished_at"]
    list_filter = ["status", "owner_kind", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["number", "=owner_id", "gateway_payout_no"]
    date_hierarchy = "created_at"
    list_select_related = ["account", "decided_by"]
    fields = ["number", "owner_kind", "owner_id", "owner", "amount_fen", "status", "reason", "account",
              "requested_by", "created_at", "decided_by", "decided_at", "gateway", "gateway_payout_no",
              "finished_at", "idempotency_key"]
    readonly_fields = fields
    actions = ["approve_selected", "reject_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(owner_name=_owner_name())

    @admin.display(description=_("creator or shop"), ordering="owner_name")
    def owner(self, obj):
        return getattr(obj, "owner_name", None) or obj.owner_id

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Actions need "change"; one withdrawal's page is read-only (status and amount move by actions).
        return obj is None and super().has_change_permission(request, obj)

    def _run(self, request, queryset, call, verb) -> int:
        done = 0
        skipped = queryset.exclude(status=WithdrawalStatus.REQUESTED).count()
        for withdrawal in list(queryset.filter(status=WithdrawalStatus.REQUESTED).order_by("pk")):
            try:
                moved = call(withdrawal)
            except DomainError as exc:
                self.message_user(request, f"{withdrawal.number}: {exc.message}", messages.ERROR)
                continue
            done += 1
            note = f"{verb} → {moved.get_status_display()}"
            _log(request, moved, f"{note}: {moved.reason}" if moved.reason else note)
        if skipped:
            self.message_user(request, ngettext("%(n)d was not under review and was left as it is.",
                                                "%(n)d were not under review and were left as they are.", skipped)
                              % {"n": skipped}, messages.WARNING)
        return done

    @admin.action(description=_("Approve and pay out selected withdrawals"), permissions=["change"])
    def approve_selected(self, request, queryset):
        url = request.build_absolute_uri(reverse("payouts:notify", args=[get_payout_gateway().name]))
        done = self._run(request, queryset, lambda w: services.withdrawal_approve(
            withdrawal_id=w.pk, actor=request.user, notify_url=url), _("Approved"))
        self.message_user(request, ngettext("%(n)d withdrawal approved and sent to the payout gateway.",
                                            "%(n)d withdrawals approved and sent to the payout gateway.", done)
                          % {"n": done}, messages.SUCCESS if done else messages.WARNING)

    @admin.action(description=_("Reject selected withdrawals…"), permissions=["change"])
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            done = self._run(request, queryset, lambda w: services.withdrawal_reject(
                withdrawal_id=w.pk, actor=request.user, reason=reason), _("Rejected"))
            self.message_user(request, ngettext("%(n)d withdrawal rejected; the money is back in the available balance.",
                                                "%(n)d withdrawals rejected; the money is back in the available balance.",
                                                done) % {"n": done}, messages.SUCCESS if done else messages.WARNING)
            return None
        if form.is_bound:
            self.message_user(request, _("A reason is required to reject a withdrawal; nothing was rejected."),
                              messages.ERROR)
        return render(request, "creators/admin/action_form.html", {
            **self.admin_site.each_context(request), "title": _("Reject withdrawals"),
            "objects": queryset.filter(status=WithdrawalStatus.REQUESTED).order_by("pk"), "form": form,
            "action": "reject_selected", "button": _("Reject"), "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


@admin.register(PayoutAccount)
class PayoutAccountAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["owner_kind", "owner_id", "holder_name", "bank_name", "masked_account_no", "active", "created_at"]
    list_filter = ["owner_kind", "active"]
    search_fields = ["=owner_id", "holder_name"]
    fields = ["owner_kind", "owner_id", "holder_name", "bank_name", "masked_account_no", "active", "bound_by",
              "created_at", "updated_at"]
    readonly_fields = fields

    @admin.display(description=_("account number"))
    def masked_account_no(self, obj):
        return obj.masked_account_no


@admin.register(PayoutResult)
class PayoutResultAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["received_at", "gateway", "withdrawal_number", "outcome", "notify_id"]
    list_filter = ["outcome", "gateway"]
    search_fields = ["withdrawal_number", "notify_id"]
    fields = ["received_at", "gateway", "withdrawal_number", "withdrawal", "outcome", "notify_id", "params"]
    readonly_fields = fields
