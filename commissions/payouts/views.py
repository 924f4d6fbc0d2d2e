"""Withdrawal pages: the creator's (提现, under 佣金收入) and the shop's funds in the merchant back
office (小店账款, ``/merchant/funds/``), and the payout gateway's notify endpoint. Thin: each form
calls one service; a refused input is shown next to its field with the error's 4xx status."""
from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from affiliates.selectors import shop_for_owner
from commissions.selectors import income_access
from core.errors import DomainError
from core.money import fen_to_yuan

from . import selectors, services
from .gateway import get_payout_gateway
from .owners import Owner

PAGE_SIZE = 20
SHOWN_FIELDS = {"holder_name", "bank_name", "account_no", "amount", "account", "withdrawal"}  # the rest: "form"


def _act(request, owner: Owner) -> tuple[dict, int]:
    """Run the posted form (bind an account, or withdraw); returns (errors by field, status)."""
    action = request.POST.get("action")
    try:
        if action == "bind":
            services.payout_account_bind(owner=owner, actor=request.user,
                                         holder_name=request.POST.get("holder_name", ""),
                                         bank_name=request.POST.get("bank_name", ""),
                                         account_no=request.POST.get("account_no", ""))
            messages.success(request, _("Payout account saved."))
        elif action == "withdraw":
            withdrawal, created = services.withdrawal_request(
                owner=owner, amount_fen=services.amount_parse(request.POST.get("amount")), actor=request.user,
                idempotency_key=request.POST.get("idempotency_key", ""))
            if created:
                messages.success(request, _("Withdrawal of ¥%(amount)s requested: it is under review.") % {
                    "amount": fen_to_yuan(withdrawal.amount_fen)})
        else:
            raise Http404
    except DomainError as exc:
        field = exc.field if exc.field in SHOWN_FIELDS else "form"
        return {field: exc.message, "action": action}, exc.status_code
    return {}, 200


def _context(request, owner: Owner, errors: dict) -> dict:
    balances = selectors.balances_of(owner)
    return {
        "owner": owner, "balances": balances, "limits": selectors.withdrawal_limits(owner, balances),
        "account": selectors.payout_account_of(owner),
        "withdrawals": Paginator(selectors.withdrawals_of(owner), PAGE_SIZE).get_page(request.GET.get("page")),
        "errors": errors, "values": request.POST if errors else {}, "idempotency_key": uuid.uuid4().hex,
    }


@never_cache
@login_required
def withdrawals(request):
    """The creator's withdrawals: balance, payout account, a request form and the list."""
    try:
        income_access(request.user)
    except DomainError as exc:
        return render(request, "commissions/error.html", {"error": exc}, status=exc.status_code)
    owner = Owner.creator(request.user)
    errors, status = {}, 200
    if request.method == "POST":
        errors, status = _act(request, owner)
        if not errors:
            return redirect("payouts:withdrawals")
    return render(request, "commissions/payouts/withdrawals.html", _context(request, owner, errors), status=status)


@never_cache
@login_required
def merchant_funds(request):
    """The shop's funds: sales, refunds, commission to creators, proceeds pending and available,
    paid out; the shop's payout account and withdrawals."""
    shop = shop_for_owner(request.user)
    if shop is None:
        raise Http404
    owner = Owner.of_shop(shop)
    errors, status = {}, 200
    if request.method == "POST":
        errors, status = _act(request, owner)
        if not errors:
            return redirect("payouts:merchant_funds")
    context = _context(request, owner, errors)
    context.update(shop=shop, funds=selectors.shop_funds(shop_id=shop.pk),
                   proceeds=selectors.shop_proceeds(shop_id=shop.pk)[:PAGE_SIZE])
    return render(request, "commissions/payouts/merchant_funds.html", context, status=status)


@csrf_exempt
@require_POST
def notify(request, gateway: str):
    """The payout gateway's signed asynchronous result: applied once; refused (400) when forged,
    unknown, altered or contradicting."""
    try:
        gw = get_payout_gateway(gateway)
    except KeyError:
        raise Http404 from None
    ok, _outcome = services.payout_result_handle(gateway_name=gw.name, params=request.POST.dict())
    if ok:
        return HttpResponse(gw.success_answer, content_type="text/plain")
    return HttpResponse(gw.fail_answer, content_type="text/plain", status=400)
