"""What shoppers see, without logging in: a creator's showcase, the seeding page (种草页), the
live room and search. Cheap by design: one query and two cache reads for a showcase page,
whatever its size; product lists are cached under versioned keys (``showcase.cache``)."""
from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from affiliates.models import ProductSource
from creators import selectors as creators_selectors

from .. import cache as vcache
from .. import selectors, tracking
from ..channels import Channel
from ..forms import SearchForm
from ..templatetags.showcase import optional_reverse
from ..tracking import Via

NATIVE_SOURCES = (ProductSource.SHOP, ProductSource.ALLIANCE)


def _int_param(params, name: str, default=None):
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Http404
    if value < 1:
        raise Http404
    return value


# --- the showcase page (/@<handle>/showcase/) -------------------------------------------------------
def _window_html(creator, *, category_id: int | None, page: int) -> str | None:
    """The showcase's tabs and product cards, cached per version, language, tab and page."""
    key = vcache.versioned_key(vcache.SHOWCASE, creator.pk, "window", get_language(), category_id or 0, page,
                               int(creator.showcase_open), int(creator.showcase_ever_opened))
    html = cache.get(key)
    if html is not None:
        return html
    via = Via(channel=Channel.SHOWCASE, creator_id=creator.pk)
    data = selectors.showcase_page(owner_id=creator.pk, category_id=category_id, page=page) \
        if creator.showcase_open else None
    if data is not None and category_id and category_id not in {c.pk for c in data.categories}:
        return None
    if data is not None and page > 1 and not data.items:
        return None
    html = render_to_string("showcase/_window.html", {
        "creator": creator, "data": data, "via": via, "category_id": category_id, "page": page,
    })
    cache.set(key, html, settings.SHOWCASE_CACHE_SECONDS)
    return html


@require_GET
def showcase(request, handle):
    creator = selectors.creator_with_showcase_right(handle)
    if creator is None:
        raise Http404
    category_id = _int_param(request.GET, "cat")
    page = _int_param(request.GET, "page", 1)
    window = _window_html(creator, category_id=category_id, page=page)
    if window is None:
        raise Http404
    viewer = request.user
    tracking.record("view", Via(channel=Channel.SHOWCASE, creator_id=creator.pk),
                    visitor=tracking.visitor_id(request))
    return render(request, "showcase/showcase.html", {
        "creator": creator, "tab": "showcase", "has_showcase": creator.showcase_open, "window": window,
        "is_self": viewer.is_authenticated and viewer.pk == creator.pk,
        "following": creators_selectors.is_following(follower=viewer, followee=creator),
        # 我也要带货 (guide: 任意开通了购物车功能的作者主页的商品橱窗-右上角) for anyone without a showcase.
        "show_sell_too": not selectors.viewer_has_showcase(viewer),
        # 我的订单 (guide: orders reachable from any showcase's top right), once the order list exists.
        "orders_url": optional_reverse("orders:list"),
    })


# --- the seeding page (/products/<id>/) -------------------------------------------------------------
def _checkout_exists(product) -> bool:
    return bool(optional_reverse("orders:checkout", product.pk) or optional_reverse("orders:checkout"))


@require_GET
def product(request, pk: int):
    item = selectors.product_for_shoppers(pk)
    if item is None:
        raise Http404
    via = tracking.via_from_params(request.GET)
    native = item.source in NATIVE_SOURCES
    buy_url = optional_reverse("orders:buy", item.pk)
    can_buy = bool(buy_url) and item.available and (not native or _checkout_exists(item))
    tracking.record("view", via, product_id=item.pk, visitor=tracking.visitor_id(request))
    return render(request, "showcase/product.html", {
        "p": item, "via": via, "native": native, "can_buy": can_buy,
        "buy_url": f"{buy_url}{via.suffix()}" if buy_url else "",
        "opens_taobao": item.source == ProductSource.TAOBAO,
    })


# --- the live room (/live/<id>/) --------------------------------------------------------------------
def live_products_html(session, *, ver: int | None = None) -> str:
    """The live cart as viewers see it, cached per live version and language."""
    key = vcache.versioned_key(vcache.LIVE, session.pk, "list", get_language(), ver=ver)
    html = cache.get(key)
    if html is None:
        via = Via(channel=Channel.LIVE, creator_id=session.host_id, live_id=session.pk)
        html = render_to_string("showcase/_live_products.html", {
            "session": session, "products": selectors.live_products(session.pk), "via": via})
        cache.set(key, html, settings.SHOWCASE_CACHE_SECONDS)
    return html


@require_GET
def live_room(request, pk: int):
    session = selectors.live_session_public(pk)
    if session is None:
        raise Http404
    ver = vcache.version(vcache.LIVE, session.pk)
    tracking.record("view", Via(channel=Channel.LIVE, creator_id=session.host_id, live_id=session.pk),
                    visitor=tracking.visitor_id(request))
    return render(request, "showcase/live_room.html", {
        "session": session, "host": session.host, "products_html": live_products_html(session, ver=ver),
        "version": ver, "poll_url": reverse("showcase_api:live_explaining", args=[session.pk]),
        "list_url": reverse("showcase:live_room_products", args=[session.pk]),
        "poll_ms": settings.LIVE_POLL_MS,
    })


@require_GET
def live_room_products(request, pk: int):
    """The product list alone, for the live room's script to swap in when the list changed."""
    session = selectors.live_session_public(pk)
    if session is None:
        raise Http404
    response = HttpResponse(live_products_html(session))
    response["Cache-Control"] = "no-cache"
    return response


# --- search (/search/, the 商城 tab) -----------------------------------------------------------------
@require_GET
def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "q": "", "tab": "all", "via": Via(channel=Channel.SEARCH)}
    status = 200
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        q = data["q"]
        context.update(q=q, tab=data["tab"] or "all")
        products = selectors.search_products(q=q, source=data["source"], price_min_fen=data["price_min_fen"],
                                             price_max_fen=data["price_max_fen"], sort=data["sort"])
        if context["tab"] == "products":
            context["page"] = Paginator(products, settings.POOL_PAGE_SIZE).get_page(request.GET.get("page"))
            params = request.GET.copy()
            params.pop("page", None)
            context["query_string"] = params.urlencode()
        else:
            context.update(creators=selectors.search_creators(q=q), videos=selectors.search_videos(q=q),
                           products=list(products[:10]))
        if q:
            tracking.record("view", context["via"], visitor=tracking.visitor_id(request))
    elif form.is_bound:
        status = 400
        context.update(q=form.data.get("q", ""), tab=form.data.get("tab") or "all")
    return render(request, "showcase/search.html", context, status=status)
