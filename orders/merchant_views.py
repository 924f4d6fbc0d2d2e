"""The merchant back office's orders section (``/merchant/orders/``): a shop sees and handles only
its own orders (another shop's order is a 404)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from affiliates.models import Shop
from affiliates.selectors import shop_for_owner
from core.errors import DomainError

from . import selectors, services
from .models import Order, OrderStatus, RefundStatus


def _shop(request) -> Shop:
    shop = shop_for_owner(request.user)
    if shop is None:
        raise Http404
    return shop


@never_cache
@login_required
def merchant_orders(request):
    shop = _shop(request)
    status = request.GET.get("status", "")
    qs = Order.objects.filter(shop=shop).select_related("shopper").order_by("-created_at", "-id")
    if status in OrderStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    return render(request, "orders/merchant/list.html", {
        "shop": shop, "page": Paginator(qs, 30).get_page(request.GET.get("page")), "status": status,
        "statuses": OrderStatus.choices,
    })


@never_cache
@login_required
def merchant_order(request, number: str):
    shop = _shop(request)
    order = selectors.merchant_order(shop=shop, number=number)
    if order is None:
        raise Http404
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "ship":
                services.order_ship(order=order, actor=request.user, carrier=request.POST.get("carrier", ""),
                                    tracking_number=request.POST.get("tracking_number", ""))
            elif action == "refund_approve":
                services.order_refund(order=order, actor=request.user)
            elif action == "refund_reject":
                services.order_refund_reject(order=order, actor=request.user, note=request.POST.get("note", ""))
            else:
                raise Http404
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
        else:
            return redirect("orders:merchant_order", order.number)
    if errors.get("status"):
        messages.error(request, errors.pop("status"))
    return render(request, "orders/merchant/detail.html", {
        "shop": shop, "order": order, "history": order.history.select_related("actor"), "errors": errors,
        "values": request.POST if errors else {}, "OrderStatus": OrderStatus,
        "refunds": order.refunds.filter(stray=False).order_by("pk"),
        "open_refund": order.refunds.filter(stray=False, status=RefundStatus.REQUESTED).order_by("-pk").first(),
    }, status=400 if errors else 200)
