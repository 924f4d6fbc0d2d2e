"""The buy button (``orders:buy``): store a tracked click, then send the shopper on.

* external sources → the source's promotion link carrying the click id in its sub-id field;
  Taobao answers with a 淘口令, shown on a page with an "open Taobao" link (guide: a Taobao
  purchase opens Taobao);
* native products (小店, 精选联盟) → our checkout with the click id, once checkout exists.
"""
from __future__ import annotations

import logging
import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from affiliates import sources as source_registry
from affiliates.models import Product, ProductSource
from affiliates.resolver import source_label
from affiliates.sources import base as source_base
from core.errors import DomainError
from showcase.tracking import via_strict

from . import services

logger = logging.getLogger(__name__)

NATIVE_SOURCES = (ProductSource.SHOP, ProductSource.ALLIANCE)
VISITOR_SESSION_KEY = "visitor_key"


def checkout_url(product: Product, click_id: str | None = None) -> str | None:
    """Where a native product is bought (the orders issue's checkout), or None while it does not exist."""
    for args in ([product.pk], []):
        try:
            base = reverse("orders:checkout", args=args)
        except NoReverseMatch:
            continue
        params = {"click": click_id} if click_id else {}
        if not args:
            params = {"product": product.pk, **params}
        return f"{base}?{urlencode(params)}" if params else base
    return None


def _visitor_key(request) -> str:
    """An anonymous shopper's key, kept in their session (it survives logging in)."""
    key = request.session.get(VISITOR_SESSION_KEY)
    if not key:
        key = secrets.token_hex(8)
        request.session[VISITOR_SESSION_KEY] = key
    return key


def _problem(request, message, *, status: int, product: Product | None = None):
    return render(request, "orders/buy_problem.html", {"message": message, "product": product}, status=status)


def _source_problem(request, product: Product, exc: source_base.SourceError):
    label = source_label(product.source)
    if isinstance(exc, source_base.NotPromotable):
        return _problem(request, _("%(source)s no longer offers this product for promotion.") % {"source": label},
                        status=409, product=product)
    if isinstance(exc, source_base.NotFound):
        return _problem(request, _("%(source)s no longer sells this product.") % {"source": label}, status=409,
                        product=product)
    if isinstance(exc, source_base.RateLimited):
        return _problem(request, _("%(source)s is busy right now. Try again in a minute.") % {"source": label},
                        status=429, product=product)
    if isinstance(exc, source_base.Transient):
        return _problem(request, _("%(source)s did not answer in time. Try again in a moment.") % {"source": label},
                        status=503, product=product)
    logger.error("promotion link failed for product %s: %s (code %s)", product.pk, exc.message, exc.code)
    return _problem(request, _("We could not reach %(source)s right now. Try again later.") % {"source": label},
                    status=502, product=product)


@never_cache
def buy(request, product_id: int):
    """``/go/<product_id>/?ch=<channel>&c=<creator>&v=<video>|&l=<live>``"""
    try:
        via = via_strict(request.GET)
    except DomainError as exc:
        return _problem(request, exc.message, status=exc.status_code)
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        return _problem(request, _("No such product."), status=404)
    back = reverse("showcase:product", args=[product.pk]) + (f"?{via.query()}" if via.query() else "")
    if not product.available:
        return _problem(request, _("This product is sold out or no longer on sale."), status=409, product=product)
    native = product.source in NATIVE_SOURCES
    if native and checkout_url(product) is None:
        messages.info(request, _("Checkout for Douyin Shop products opens soon."))
        return redirect(back)
    click = services.click_create(
        product_id=product.pk, via=via, shopper=request.user, visitor_key=_visitor_key(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    if native:
        target = checkout_url(product, click.id)
        services.click_target_set(click=click, url=target)
        return redirect(target)
    try:
        link = source_registry.get_client(product.source).promotion_link(external_id=product.external_id,
                                                                         click_id=click.id)
    except source_base.SourceError as exc:
        return _source_problem(request, product, exc)
    services.click_target_set(click=click, url=link.url)
    if product.source == ProductSource.TAOBAO and link.token:
        return render(request, "orders/taobao_token.html", {"product": product, "link": link, "click": click,
                                                            "back": back})
    return redirect(link.url)
