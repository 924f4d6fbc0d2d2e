"""The two JSON reads every viewer repeats — a video's product list and the live room's
"now explaining" poll — as plain Django views (no DRF negotiation, no session, no query on a
cache hit). Both answer from bytes cached under the object's version (and, for half a second,
in the worker's memory), send that version as an ETag and answer ``If-None-Match`` with 304,
so a viewer whose list did not change gets an empty answer."""
from __future__ import annotations

import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.errors import error_body

from .. import cache as vcache
from .. import selectors
from ..channels import Channel
from ..models import LiveProduct, LiveSession
from ..tracking import Via

_MISSING = b"-"  # cached "no such object" (a miss that repeats costs nothing either)


def _dumps(payload) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _not_found(message) -> HttpResponse:
    return HttpResponse(_dumps(error_body("not_found", message)), status=404, content_type="application/json")


def _fetch(scope: str, obj_id: int, parts: tuple) -> tuple[int, bytes | None]:
    hit = vcache.worker_copy.get((scope, obj_id, parts))
    if hit is not None:
        return hit
    ver, body = vcache.fetch(scope, obj_id, *parts)  # one round trip on Redis
    if body is not None:
        vcache.worker_copy.put((scope, obj_id, parts), (ver, body))
    return ver, body


def _answer(request, *, scope: str, obj_id: int, parts: tuple, build, not_found: str) -> HttpResponse:
    ver, body = _fetch(scope, obj_id, parts)
    etag = f'"{ver}-{"-".join(map(str, parts))}"' if parts else f'"{ver}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    if body is None:
        body = build(ver)
        cache.set(vcache.versioned_key(scope, obj_id, *parts, ver=ver), body, settings.SHOWCASE_CACHE_SECONDS)
        vcache.worker_copy.put((scope, obj_id, parts), (ver, body))
    if body == _MISSING:
        return _not_found(not_found)
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


def product_json(product, via: Via) -> dict:
    """A product as shoppers see it (never its commission), with its seeding-page link."""
    return {
        "id": product.pk, "title": product.title, "image": product.image_url, "source": product.source,
        "source_label": str(product.get_source_display()), "price_fen": product.price_fen,
        "original_price_fen": product.original_price_fen, "coupon_fen": product.coupon_fen,
        "shop_name": product.shop_name, "sales": product.sales_volume, "available": product.available,
        "url": reverse("showcase:product", args=[product.pk]) + via.suffix(),
    }


# --- GET /api/v1/videos/<id>/products ---------------------------------------------------------------------
def video_products_payload(video_id: int) -> bytes:
    video = selectors.public_video(video_id)
    if video is None:
        return _MISSING
    via = Via(channel=Channel.VIDEO, creator_id=video.owner_id, video_id=video.pk)
    cart, seeding = [], []
    for link in selectors.video_links(video.pk):
        (cart if link.kind == link.Kind.CART else seeding).append(product_json(link.product, via))
    return _dumps({"video": video.pk, "creator": video.owner_id, "cart_tag": bool(cart), "products": cart,
                   "seeding_tags": seeding})


@require_GET
def video_products(request, pk: int):
    """A public video's cart products (in the creator's order) and seeding tags (种草)."""
    return _answer(request, scope=vcache.VIDEO, obj_id=pk, parts=("products", get_language()),
                   build=lambda ver: video_products_payload(pk), not_found=_("No such video."))


# --- GET /api/v1/live/<id>/explaining ---------------------------------------------------------------------
def live_explaining_payload(session_id: int, ver: int) -> bytes:
    session = LiveSession.objects.filter(pk=session_id, host__is_active=True).values("status").first()
    if session is None:
        return _MISSING
    rows = list(LiveProduct.objects.filter(session_id=session_id).order_by("position", "id")
                .values_list("product_id", "explaining"))
    explaining = next((pid for pid, on in rows if on), None)
    return _dumps({"live": session_id, "status": session["status"], "explaining": explaining,
                   "products": [pid for pid, _on in rows], "version": ver})


@require_GET
def live_explaining(request, pk: int):
    """正在讲解, polled by every viewer of a live room every few seconds:
    ``{"live", "status", "explaining": product id or null, "products": [ids in order], "version"}``."""
    return _answer(request, scope=vcache.LIVE, obj_id=pk, parts=(), build=lambda ver: live_explaining_payload(pk, ver),
                   not_found=_("No such live session."))
