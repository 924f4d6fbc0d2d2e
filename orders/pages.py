"""Shopper pages: checkout, saved addresses, 我的-订单 with the third-party authorisation, one
order, and the sandbox gateway's pay page, notify endpoint and statement (对账单). Thin: each
calls one service."""
from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from affiliates.models import Product
from core.errors import DomainError

from . import selectors, services
from .models import Address, ExternalOrder, Order, OrderStatus, Payment
from .payments import get_gateway
from .sandbox_statement import sandbox_statement_answer
from .services import consent as consent_services
from .views import NATIVE_SOURCES, VISITOR_SESSION_KEY


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@never_cache
@login_required
def checkout(request, product_id: int):
    """Choose the spec, quantity and address, see the total, place the order (one-time token
    against double submission: a second press returns the same order)."""
    product = Product.objects.filter(pk=product_id, source__in=NATIVE_SOURCES).select_related("shop_product").first()
    if product is None or product.shop_product is None:
        raise Http404
    skus = list(product.shop_product.skus.filter(is_active=True))
    addresses = list(Address.objects.filter(user=request.user))
    click = (request.POST.get("click") or request.GET.get("click") or "")[:16]
    errors: dict[str, str] = {}
    chosen = {"sku": _int(request.GET.get("sku")), "quantity": 1,
              "address": next((a.pk for a in addresses if a.is_default), None)}
    if request.method == "POST":
        chosen = {"sku": _int(request.POST.get("sku")), "quantity": _int(request.POST.get("quantity")),
                  "address": _int(request.POST.get("address"))}
        try:
            order = services.order_place(
                shopper=request.user, product_id=product.pk, sku_id=chosen["sku"] or 0,
                quantity=chosen["quantity"] if chosen["quantity"] is not None else 0,
                address_id=chosen["address"] or 0, click_id=click,
                visitor_key=request.session.get(VISITOR_SESSION_KEY, ""),
                idempotency_key="form:" + (request.POST.get("token") or "")[:40] if request.POST.get("token") else "",
            )
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
        else:
            return _to_payment(request, order)
    if chosen["sku"] is None:
        chosen["sku"] = next((s.pk for s in skus if s.stock > 0), None)
    return render(request, "orders/checkout.html", {
        "product": product, "skus": skus, "addresses": addresses, "click": click, "errors": errors,
        "chosen": chosen, "token": secrets.token_urlsafe(16),
        "address_url": reverse("orders:addresses") + "?next=" + request.get_full_path(),
    }, status=400 if errors else 200)


def _to_payment(request, order: Order):
    try:
        payment = services.payment_start(order=order)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("orders:detail", order.number)
    return redirect(get_gateway(payment.gateway).pay_url(payment))


@never_cache
@login_required
def addresses(request):
    """Saved addresses, and a form to add one (back to checkout with ``next``)."""
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = ""
    errors, values = {}, {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("recipient", "phone", "region", "detail")}
        try:
            services.address_create(user=request.user, is_default=bool(request.POST.get("is_default")), **values)
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
        else:
            messages.success(request, _("Address saved."))
            return redirect(nxt or "orders:addresses")
    return render(request, "orders/addresses.html", {
        "addresses": Address.objects.filter(user=request.user), "errors": errors, "values": values, "next": nxt,
    }, status=400 if errors else 200)


@never_cache
@login_required
def order_list(request):
    """我的-订单: status tabs; third-party orders after authorisation; Taobao never (check Taobao)."""
    tabs = selectors.order_tabs()
    current = request.GET.get("tab", "")
    statuses = next((s for key, _label, s in tabs if key == current), None)
    return render(request, "orders/list.html", {
        "tabs": tabs, "current": current, "items": selectors.shopper_orders(user=request.user, statuses=statuses),
        "consent": selectors.consent_active(user=request.user),
    })


@never_cache
@login_required
def authorisation(request):
    """授权管理: agree (once) that third-party orders are shown here, or revoke it."""
    if request.method == "POST":
        if request.POST.get("grant"):
            consent_services.order_display_consent_grant(user=request.user)
            messages.success(request, _("Orders from JD, Kaola, Vipshop and Suning will now show in My orders."))
        else:
            consent_services.order_display_consent_revoke(user=request.user)
            messages.success(request, _("Third-party orders are no longer shown."))
        return redirect("orders:list")
    return render(request, "orders/authorisation.html", {"consent": selectors.consent_active(user=request.user)})


@never_cache
@login_required
def order_detail(request, number: str):
    order = selectors.shopper_order(user=request.user, number=number, related=request.method != "POST")
    if order is None:
        raise Http404
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "pay":
                return _to_payment(request, order)
            if action == "cancel":
                services.order_cancel(order=order, actor=request.user)
            elif action == "confirm":
                services.order_confirm(order=order, actor=request.user)
            elif action == "refund":
                services.order_refund_request(
                    order=order, actor=request.user, reason=request.POST.get("reason", ""),
                    amount=request.POST.get("amount", "").strip() or None,
                    quantity=request.POST.get("quantity", "").strip() or None)
            else:
                raise Http404
        except DomainError as exc:
            if action == "refund" and exc.field in ("reason", "amount", "quantity"):
                errors[exc.field] = exc.message
            else:
                messages.error(request, exc.message)
        if not errors:
            return redirect("orders:detail", order.number)
    allowance = selectors.refund_allowance(order=order)
    return render(request, "orders/detail.html", {
        "order": order, "history": order.history.all(), "OrderStatus": OrderStatus,
        "can_refund": allowance["open"], "allowance": allowance, "errors": errors,
        "values": request.POST if errors else {}, "refunds": order.refunds.filter(stray=False).order_by("pk"),
    }, status=400 if errors else 200)


@never_cache
@login_required
def external_detail(request, pk: int):
    order = ExternalOrder.objects.filter(pk=pk, shopper=request.user,
                                         source__in=selectors.SHOWN_EXTERNAL_SOURCES).first()
    if order is None or not selectors.consent_active(user=request.user):
        raise Http404
    return render(request, "orders/external_detail.html", {"order": order, "history": order.history.all()})


# --- the sandbox gateway ------------------------------------------------------------------------

@never_cache
@login_required
def sandbox_pay(request, number: str):
    """The sandbox gateway's pay page: 支付 or 取消; the result comes back as a signed notify."""
    payment = Payment.objects.filter(number=number, gateway="sandbox", order__shopper=request.user
                                     ).select_related("order").first()
    if payment is None:
        raise Http404
    if request.method == "POST":
        pay = request.POST.get("decision") == "pay"
        try:
            services.sandbox_payment_decide(payment=payment, pay=pay,
                                            notify_url=request.build_absolute_uri(reverse("orders:notify",
                                                                                          args=["sandbox"])))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Payment submitted.") if pay else _("Payment cancelled."))
        return redirect("orders:detail", payment.order.number)
    return render(request, "orders/sandbox_pay.html", {"payment": payment, "order": payment.order,
                                                       "now": timezone.now()})


@never_cache
@require_GET
def sandbox_statement(request):
    """The sandbox gateway's statement (对账单) of a day: a signed request, a signed answer."""
    status, body = sandbox_statement_answer(request.GET.dict())
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
def notify(request, gateway: str):
    """The gateway's asynchronous notify: verified, applied once, answered in its format."""
    try:
        gw = get_gateway(gateway)
    except KeyError:
        raise Http404 from None
    ok, _outcome = services.payment_notify_handle(gateway_name=gw.name, params=request.POST.dict())
    return HttpResponse(gw.success_answer if ok else gw.fail_answer, content_type="text/plain")
