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
from .. import pagecache, selectors, tracking
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


def _header_context(request, creator) -> dict:
    viewer = request.user
    return {
        "creator": creator, "tab": "showcase", "has_showcase": creator.showcase_open,
        "is_self": viewer.is_authenticated and viewer.pk == creator.pk,
        "following": creators_selectors.is_following(follower=viewer, followee=creator),
    }


def _handle_key(handle: str) -> str:
    return f"sc:handle:{handle}"


def _build_anonymous_page(request, handle: str, *, category_id, page) -> dict | None:
    creator = selectors.creator_with_showcase_right(handle)
    if creator is None:
        cache.delete(_handle_key(handle))
        return None
    cache.set(_handle_key(handle), creator.pk, settings.SHOWCASE_CACHE_SECONDS * 5)
    ver = vcache.version(vcache.SHOWCASE, creator.pk)
    window = _window_html(creator, category_id=category_id, page=page)
    if window is None:
        return None
    main = render_to_string("showcase/_showcase_main.html", {**_header_context(request, creator), "window": window},
                            request=request)
    html = pagecache.render_cacheable(request, "showcase/showcase.html", {
        "creator_name": creator.display_name, "main": main, "show_sell_too": True,
        "orders_url": optional_reverse("orders:list")})
    entry = {"pk": creator.pk, "html": html}
    # Under the version read before the window: an edit committed meanwhile bumps past it.
    cache.set(vcache.versioned_key(vcache.SHOWCASE, creator.pk, *_page_parts(category_id, page), ver=ver), entry,
              settings.SHOWCASE_CACHE_SECONDS)
    return entry


def _page_parts(category_id, page) -> tuple:
    # The last part: whether the order list exists (its 我的订单 link is in the cached page).
    return ("page", get_language(), category_id or 0, page, int(bool(optional_reverse("orders:list"))))


@require_GET
def showcase(request, handle):
    category_id = _int_param(request.GET, "cat")
    page = _int_param(request.GET, "page", 1)
    if pagecache.cacheable(request, {"cat", "page"}):
        # Anonymous shoppers: the whole page, cached per showcase version (an edit shows within
        # SHOWCASE_HOT_LOCAL_SECONDS, the header's profile and fan count within SHOWCASE_CACHE_SECONDS):
        # no query and at most one cache round trip per worker per half second.
        parts = _page_parts(category_id, page)

        def load():
            _pk, entry = vcache.fetch_by_pointer(_handle_key(handle), vcache.SHOWCASE, *parts)
            return entry or _build_anonymous_page(request, handle, category_id=category_id, page=page)

        entry = vcache.worker_copy.get_or_load(("showcase-page", handle, parts), load)
        if entry is None:
            raise Http404
        tracking.record("view", Via(channel=Channel.SHOWCASE, creator_id=entry["pk"]),
                        visitor=tracking.visitor_id(request))
        return pagecache.respond(request, entry["html"])
    viewer = request.user
    creator = selectors.creator_with_showcase_right(handle)
    window = _window_html(creator, category_id=category_id, page=page) if creator else None
    if window is None:
        raise Http404
    main = render_to_string("showcase/_showcase_main.html", {**_header_context(request, creator), "window": window},
                            request=request)
    tracking.record("view", Via(channel=Channel.SHOWCASE, creator_id=creator.pk), visitor=tracking.visitor_id(request))
    return render(request, "showcase/showcase.html", {
        "creator_name": creator.display_name, "main": main,
        # 我也要带货 (guide: 任意开通了购物车功能的作者主页的商品橱窗-右上角) for anyone without a showcase.
        "show_sell_too": not selectors.viewer_has_showcase(viewer),
        # 我的订单 (guide: orders reachable from any showcase's top right), once the order list exists.
        "orders_url": optional_reverse("orders:list"),
    })


# --- the seeding page (/products/<id>/) -------------------------------------------------------------
def _checkout_exists(pk: int) -> bool:
    return bool(optional_reverse("orders:checkout", pk) or optional_reverse("orders:checkout"))


def _product_main(pk: int) -> dict | None:
    """The product's images, price, title and shop scores, cached per language: what the source's
    sync changes shows within SHOWCASE_CACHE_SECONDS."""
    key = f"sc:product:{pk}:{get_language()}"
    main = cache.get(key)
    if main is None:
        item = selectors.product_for_shoppers(pk)
        if item is None:
            return None
        native = item.source in NATIVE_SOURCES
        main = {"title": item.title, "available": item.available, "native": native,
                "taobao": item.source == ProductSource.TAOBAO,
                "html": render_to_string("showcase/_product_main.html", {
                    "p": item, "native": native, "opens_taobao": item.source == ProductSource.TAOBAO})}
        cache.set(key, main, settings.SHOWCASE_CACHE_SECONDS)
    return main


def _product_context(main: dict, pk: int, buy_url: str) -> dict:
    return {"pk": pk, "main": main, "buy_url": buy_url,
            "can_buy": bool(buy_url) and main["available"] and (not main["native"] or _checkout_exists(pk))}


@require_GET
def product(request, pk: int):
    via = tracking.via_from_params(request.GET)
    buy_base = optional_reverse("orders:buy", pk)
    if pagecache.cacheable(request, {"ch", "c", "v", "l"}):
        # Anonymous shoppers: the whole page per product and language; the buy link's channel
        # parameters are filled in per request.
        key = f"sc:product-page:{pk}:{get_language()}:{int(bool(buy_base))}{int(_checkout_exists(pk))}"

        def load():
            html = cache.get(key)
            if html is None:
                main = _product_main(pk)
                if main is None:
                    return None
                marker = pagecache.slot_marker("via") if buy_base else ""
                html = pagecache.render_cacheable(request, "showcase/product.html",
                                                  _product_context(main, pk, f"{buy_base}{marker}" if buy_base else ""))
                cache.set(key, html, settings.SHOWCASE_CACHE_SECONDS)
            return html

        html = vcache.worker_copy.get_or_load(key, load)
        if html is None:
            raise Http404
        tracking.record("view", via, product_id=pk, visitor=tracking.visitor_id(request))
        return pagecache.respond(request, html, via=via.suffix())
    main = _product_main(pk)
    if main is None:
        raise Http404
    tracking.record("view", via, product_id=pk, visitor=tracking.visitor_id(request))
    return render(request, "showcase/product.html",
                  _product_context(main, pk, f"{buy_base}{via.suffix()}" if buy_base else ""))


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
