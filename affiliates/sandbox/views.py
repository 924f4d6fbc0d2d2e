"""The imitated outside shops' pages: item landing pages with a buy button (the target of
promotion links), the sandbox order pages with their life-cycle buttons, item images and
short links. Protocol gateways live in ``twins/``."""
from __future__ import annotations

import hashlib
from html import escape
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.money import fen_to_yuan

from ..models import ProductSource
from . import catalog
from .models import SandboxOrder
from .services import ORDER_ACTIONS, SandboxError, sandbox_order_create
from .twins import twin as twin_of
from .words import IMAGE_COLOURS


def _twin(source: str):
    try:
        return twin_of(source)
    except KeyError:
        raise Http404("no such sandbox source")


def _item(source: str, external_id: str) -> catalog.Item:
    item = catalog.find(source, external_id)
    if item is None:
        raise Http404("no such item")
    return item


STATUS_LABELS = {
    "unpaid": gettext_lazy("Awaiting payment"), "paid": gettext_lazy("Paid, awaiting receipt"),
    "finished": gettext_lazy("Received"), "settled": gettext_lazy("Completed, commission settled"),
    "refunded": gettext_lazy("Refunded / closed"),
}
ACTION_LABELS = {
    "pay": gettext_lazy("Pay"), "finish": gettext_lazy("Confirm receipt"),
    "settle": gettext_lazy("Settle commission"), "refund": gettext_lazy("Refund"),
}


def _back_url(request, candidate: str) -> str:
    """Where the shopper came from (our showcase or seeding page), if it is a page of ours."""
    hosts = {request.get_host(), urlsplit(settings.SITE_BASE_URL).netloc}
    if not candidate or not url_has_allowed_host_and_scheme(candidate, allowed_hosts=hosts):
        return ""
    return "" if urlsplit(candidate).path.startswith("/sandbox/") else candidate


def _source_name(source: str) -> str:
    return ProductSource(source).label


def item_page(request, source: str, external_id: str):
    twin = _twin(source)
    item = _item(source, external_id)
    back = _back_url(request, request.GET.get("back", "") or request.headers.get("Referer", ""))
    return render(request, "sandbox/item.html", {
        "twin": twin, "item": item, "click_id": request.GET.get(twin.SUB_PARAM, ""), "back": back,
        "source_name": _source_name(source), "images": range(item.image_count),
        "price": fen_to_yuan(item.price_fen), "original_price": fen_to_yuan(item.original_price_fen),
        "coupon": fen_to_yuan(item.coupon_fen) if item.coupon_fen else "",
        "scores": [f"{s // 100}.{s % 100:02d}" for s in item.shop.dsr],
    })


@csrf_exempt
@require_POST
def item_buy(request, source: str, external_id: str):
    _twin(source)
    item = _item(source, external_id)
    try:
        quantity = max(1, min(99, int(request.POST.get("quantity") or 1)))
    except ValueError:
        quantity = 1
    order = sandbox_order_create(source=source, external_id=item.external_id, quantity=quantity,
                                 click_id=request.POST.get("click_id", "")[:64])
    back = _back_url(request, request.POST.get("back", ""))
    return redirect(reverse("sandbox:order", args=[order.pk]) + (f"?{urlencode({'back': back})}" if back else ""))


def order_list(request):
    orders = SandboxOrder.objects.order_by("-updated_at", "-id")[:100]
    rows = [(o, _source_name(o.source), STATUS_LABELS[o.status]) for o in orders]
    return render(request, "sandbox/orders.html", {"rows": rows})


def order_page(request, pk: int):
    order = get_object_or_404(SandboxOrder, pk=pk)
    allowed = SandboxOrder.TRANSITIONS[SandboxOrder.Status(order.status)]
    actions = [(name, ACTION_LABELS[name]) for name, to in _ACTION_TARGETS.items() if to in allowed]
    back = _back_url(request, request.GET.get("back", ""))
    return render(request, "sandbox/order.html", {
        "order": order, "twin": _twin(order.source), "actions": actions, "back": back,
        "source_name": _source_name(order.source), "status_label": STATUS_LABELS[order.status],
        "paid": fen_to_yuan(order.paid_amount_fen), "estimated": fen_to_yuan(order.estimated_commission_fen),
        "settled": fen_to_yuan(order.settled_commission_fen),
        "item_url": reverse("sandbox:item", args=[order.source, order.product_external_id]),
    })


_ACTION_TARGETS = {"pay": "paid", "finish": "finished", "settle": "settled", "refund": "refunded"}


@csrf_exempt
@require_POST
def order_action(request, pk: int, action: str):
    order = get_object_or_404(SandboxOrder, pk=pk)
    if action not in ORDER_ACTIONS:
        raise Http404("no such action")
    try:
        ORDER_ACTIONS[action](order=order)
    except SandboxError as exc:
        return HttpResponse(escape(str(exc)), status=409, content_type="text/plain; charset=utf-8")
    back = _back_url(request, request.POST.get("back", ""))
    return redirect(reverse("sandbox:order", args=[pk]) + (f"?{urlencode({'back': back})}" if back else ""))


def image(request, source: str, external_id: str, n: int):
    twin = _twin(source)
    item = _item(source, external_id)
    n = int(n)
    if n >= item.image_count:
        raise Http404("no such image")
    etag = '"' + hashlib.sha1(f"{source}:{external_id}:{n}:v2".encode(), usedforsecurity=False).hexdigest()[:16] + '"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified()
    colour = IMAGE_COLOURS[catalog.h(source, "colour", item.index, n) % len(IMAGE_COLOURS)]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">'
        f'<rect width="400" height="400" fill="{colour}"/>'
        f'<circle cx="{80 + catalog.h(source, "cx", item.index, n) % 240}" cy="120" r="70" fill="#fff" opacity=".18"/>'
        '<g font-family="sans-serif" fill="#fff" text-anchor="middle">'
        f'<text x="200" y="215" font-size="44" font-weight="bold">{escape(item.category.leaf)}</text>'
        f'<text x="200" y="275" font-size="30">{escape(item.brand)}</text>'
        f'<text x="200" y="370" font-size="18" opacity=".8">{escape(twin.THEME["name"])} · {escape(item.external_id)} · {n + 1}</text>'
        "</g></svg>"
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["ETag"] = etag
    return response


def short_link(request, source: str, host: str, code: str):
    twin = _twin(source)
    if host != getattr(twin, "SHORT_HOST", None):
        raise Http404("no such short link host")
    target = twin.short_link_target(request, code)
    if target is None:
        raise Http404("no such short link")
    real_url, landing = target
    back = _back_url(request, request.headers.get("Referer", ""))
    if back:  # the landing page offers the way back to the page the shopper tapped
        landing += ("&" if "?" in landing else "?") + urlencode({"back": back})
    # Like the real services: a small page whose script names the item URL, then moves on.
    page = (
        "<!doctype html><html><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"refresh\" content=\"0;url={escape(landing)}\"><title>{escape(_('Redirecting'))}</title>"
        f"<script>var url = '{escape(real_url)}';</script></head>"
        f"<body><a href=\"{escape(landing)}\">{escape(_('Open the item'))}</a></body></html>"
    )
    return HttpResponse(page, content_type="text/html; charset=utf-8")
