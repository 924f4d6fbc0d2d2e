"""A flash sale's late buyers hear "sold out" at the door.

Once the commit that takes a SKU's last unit has set its sold-out flag, the 2,000 buyers behind
the first 100 all ask ``POST /api/v1/orders/`` for that SKU. This middleware answers them from the
flag (one cache read) right after the language is chosen: no session or user is loaded, no other
middleware, view, serializer or query runs. Everything else — any other request, a body that is not
a small JSON object with a SKU id, a SKU without the flag — goes on to the view, which decides as
before (``order_place`` reads the flag too, for its other callers: the checkout page). A
signed-out caller pressing buy on a sold-out SKU hears 已抢光 rather than "sign in" first: signing
in would not help them."""
from __future__ import annotations

import json

from django.http import JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from affiliates.stock_flags import sku_is_sold_out
from core.errors import error_body

MAX_BODY = 4096  # a placement is about a hundred bytes


class SoldOutAtTheDoorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._path = None

    def __call__(self, request):
        if request.method == "POST" and self._sold_out(request):
            return JsonResponse(error_body("out_of_stock", _("This spec is sold out."), "quantity"), status=409,
                                json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
        return self.get_response(request)

    def _sold_out(self, request) -> bool:
        if self._path is None:
            try:
                self._path = reverse("orders_api:orders")
            except NoReverseMatch:  # a URL configuration without orders (runsandbox's): nothing to answer
                self._path = ""
        if request.path_info != self._path or not request.content_type == "application/json":
            return False
        try:
            if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
                return False
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            return False  # the view says what is wrong with it
        sku = data.get("sku") if isinstance(data, dict) else None
        if isinstance(sku, bool) or not isinstance(sku, int | str) or not str(sku).isdigit() or len(str(sku)) > 18:
            return False
        return sku_is_sold_out(int(sku))
