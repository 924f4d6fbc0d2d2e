"""What creators manage: the showcase (橱窗管理), a video's products and seeding tags, live
sessions and their cart. Every page works without JavaScript (forms and move buttons);
drag-and-drop reordering is a small script on top that calls the API.

Someone else's video or live session is a 404. A creator without the right (or with it
suspended or revoked) sees the page with the reason and cannot add.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from affiliates.selectors import PoolFilters, pool_products
from core.errors import DomainError
from creators.services import require_cart_right

from .. import selectors, services
from ..forms import CategoryForm, LiveStartForm, PasteForm, add_domain_error
from ..models import ShowcaseCategory, ShowcaseItem, VideoProduct


def right_refusal(user, kind: str) -> tuple[str, str]:
    """(code, why) the creator cannot use this cart right now; ("", "") when they can."""
    try:
        require_cart_right(user, kind)
    except DomainError as exc:
        return exc.code, str(exc.message)
    return "", ""


def _refusal_context(user, kind: str) -> dict:
    code, why = right_refusal(user, kind)
    return {"right_error": why, "right_code": code}


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _run(request, action, *, success: str = "") -> bool:
    """Call a service; a refusal becomes an error message, success an optional note."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return False
    if success:
        messages.success(request, success)
    return True


def _own_item(request, pk: int) -> None:
    """Another creator's showcase item is no such page (404), like every object route."""
    if not ShowcaseItem.objects.filter(pk=pk, showcase__owner=request.user).exists():
        raise Http404


def _own_category(request, pk: int) -> None:
    if not ShowcaseCategory.objects.filter(pk=pk, showcase__owner=request.user).exists():
        raise Http404


# --- 橱窗管理 ------------------------------------------------------------------------------------------
def _manage_context(request, **forms) -> dict:
    user = request.user
    items = list(selectors.own_items(user))
    categories = list(selectors.own_categories(user))
    category_id = _int(request.GET.get("cat"))
    shown = [i for i in items if i.category_id == category_id] if category_id else items
    return {
        "items": shown, "count": len(items), "limit": settings.SHOWCASE_MAX_PRODUCTS,
        "categories": categories, "category_id": category_id, **_refusal_context(user, "showcase"),
        "paste_form": forms.get("paste_form") or PasteForm(),
        "category_form": forms.get("category_form") or CategoryForm(),
        "full": len(items) >= settings.SHOWCASE_MAX_PRODUCTS,
    }


@login_required
def manage(request):
    return render(request, "showcase/manage.html", _manage_context(request))


@login_required
@require_POST
def item_add(request):
    """Add from the pool or a search (``product_id``, then back to ``next``) or from the paste box."""
    back = _next(request, reverse("showcase:manage"))
    if "text" in request.POST:
        form = PasteForm(request.POST)
        if form.is_valid():
            try:
                item = services.showcase_item_add(owner=request.user, text=form.cleaned_data["text"])
            except DomainError as exc:
                form.add_error("text", str(exc.message))  # every refusal of a paste shows at the box
            else:
                messages.success(request, _("“%(title)s” is in your showcase.") % {"title": item.product.title})
                return redirect(back)
        return render(request, "showcase/manage.html", _manage_context(request, paste_form=form), status=400)
    product_id = _int(request.POST.get("product_id"))
    try:
        item = services.showcase_item_add(owner=request.user, product_id=product_id)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("“%(title)s” is in your showcase.") % {"title": item.product.title})
    return redirect(back)


@login_required
@require_POST
def item_update(request, pk: int):
    _own_item(request, pk)
    category = request.POST.get("category", "")
    _run(request, lambda: services.showcase_item_update(
        owner=request.user, item_id=pk, category_id=_int(category) if category else None,
        is_recommended=request.POST.get("is_recommended") == "on", is_new=request.POST.get("is_new") == "on",
    ), success=_("Saved."))
    return redirect(_next(request, reverse("showcase:manage")))


@login_required
@require_POST
def item_move(request, pk: int):
    _own_item(request, pk)
    _run(request, lambda: services.showcase_item_move(owner=request.user, item_id=pk,
                                                      direction=request.POST.get("direction", "")))
    return redirect(_next(request, reverse("showcase:manage")) + f"#item-{pk}")


@login_required
@require_POST
def item_remove(request, pk: int):
    _own_item(request, pk)
    _run(request, lambda: services.showcase_item_remove(owner=request.user, item_id=pk),
         success=_("Removed from your showcase."))
    return redirect(_next(request, reverse("showcase:manage")))


@login_required
@require_POST
def category_create(request):
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            services.showcase_category_create(owner=request.user, name=form.cleaned_data["name"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect(reverse("showcase:manage") + "#categories")
    return render(request, "showcase/manage.html", _manage_context(request, category_form=form), status=400)


@login_required
@require_POST
def category_rename(request, pk: int):
    _own_category(request, pk)
    _run(request, lambda: services.showcase_category_rename(owner=request.user, category_id=pk,
                                                            name=request.POST.get("name", "")), success=_("Saved."))
    return redirect(reverse("showcase:manage") + "#categories")


@login_required
@require_POST
def category_move(request, pk: int):
    _own_category(request, pk)
    _run(request, lambda: services.showcase_category_move(owner=request.user, category_id=pk,
                                                          direction=request.POST.get("direction", "")))
    return redirect(reverse("showcase:manage") + "#categories")


@login_required
@require_POST
def category_delete(request, pk: int):
    _own_category(request, pk)
    _run(request, lambda: services.showcase_category_delete(owner=request.user, category_id=pk),
         success=_("Category deleted; its products stay in your showcase."))
    return redirect(reverse("showcase:manage") + "#categories")


# --- a video's products (视频购物车 and 种草) ----------------------------------------------------------------
def _own_video_or_404(request, pk):
    video = selectors.own_video(request.user, pk)
    if video is None:
        raise Http404
    return video


def _video_context(request, video, paste_form=None) -> dict:
    links = list(VideoProduct.objects.filter(video=video).select_related("product").order_by("kind", "position", "id"))
    on_video = {link.product_id for link in links}
    q = request.GET.get("q", "").strip()[:100]
    found = list(pool_products(filters=PoolFilters(q=q), user=request.user)[:10]) if q else []
    return {
        "video": video, "q": q, "found": found, "on_video": on_video,
        "cart": [link for link in links if link.kind == VideoProduct.Kind.CART],
        "seeding": [link for link in links if link.kind == VideoProduct.Kind.SEEDING],
        "showcase_items": [i for i in selectors.own_items(request.user) if i.product_id not in on_video],
        "cart_limit": settings.VIDEO_CART_MAX_PRODUCTS, "seeding_limit": settings.VIDEO_SEEDING_TAGS_MAX,
        "cart_full": sum(link.kind == VideoProduct.Kind.CART for link in links) >= settings.VIDEO_CART_MAX_PRODUCTS,
        "seeding_full": sum(link.kind == VideoProduct.Kind.SEEDING for link in links) >= settings.VIDEO_SEEDING_TAGS_MAX,
        **_refusal_context(request.user, "video"), "paste_form": paste_form or PasteForm(),
    }


@login_required
def video_cart(request, pk: int):
    video = _own_video_or_404(request, pk)
    return render(request, "showcase/video_cart.html", _video_context(request, video))


@login_required
@require_POST
def video_product_add(request, pk: int):
    video = _own_video_or_404(request, pk)
    back = _next(request, reverse("showcase:video_cart", args=[video.pk]))
    kind = request.POST.get("kind", VideoProduct.Kind.CART)
    if "text" in request.POST:
        form = PasteForm(request.POST)
        if form.is_valid():
            try:
                services.video_product_add(owner=request.user, video_id=video.pk, kind=kind,
                                           text=form.cleaned_data["text"])
            except DomainError as exc:
                form.add_error("text", str(exc.message))  # every refusal of a paste shows at the box
            else:
                return redirect(back)
        return render(request, "showcase/video_cart.html", _video_context(request, video, paste_form=form),
                      status=400)
    _run(request, lambda: services.video_product_add(
        owner=request.user, video_id=video.pk, kind=kind, product_id=_int(request.POST.get("product_id")),
        item_id=_int(request.POST.get("item_id"))))
    return redirect(back)


@login_required
@require_POST
def video_product_remove(request, pk: int, product_id: int):
    video = _own_video_or_404(request, pk)
    _run(request, lambda: services.video_product_remove(owner=request.user, video_id=video.pk, product_id=product_id))
    return redirect("showcase:video_cart", pk=video.pk)


@login_required
@require_POST
def video_product_move(request, pk: int, product_id: int):
    video = _own_video_or_404(request, pk)
    _run(request, lambda: services.video_product_move(owner=request.user, video_id=video.pk, product_id=product_id,
                                                      direction=request.POST.get("direction", "")))
    return redirect("showcase:video_cart", pk=video.pk)


# --- live sessions ----------------------------------------------------------------------------------------
@login_required
def live(request):
    """Start a live session (title, cover, products picked from the showcase) or go back to the current one."""
    user = request.user
    form = LiveStartForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        picked = [p for p in (_int(v) for v in request.POST.getlist("product_ids")) if p]
        try:
            session = services.live_session_start(host=user, title=form.cleaned_data["title"],
                                                  cover=form.cleaned_data["cover"], product_ids=picked)
        except DomainError as exc:
            add_domain_error(form, exc, {"product_id": None, "session": None})
        else:
            messages.success(request, _("You are live."))
            return redirect("showcase:live_console", pk=session.pk)
    return render(request, "showcase/live.html", {
        "form": form, "current": selectors.current_live(user), "sessions": selectors.own_live_sessions(user)[:20],
        "showcase_items": list(selectors.own_items(user)), **_refusal_context(user, "live"),
        "limit": settings.LIVE_CART_MAX_PRODUCTS,
        "picked": {_int(v) for v in request.POST.getlist("product_ids")} if request.method == "POST" else set(),
    }, status=400 if form.errors else 200)


def _own_session_or_404(request, pk):
    session = selectors.own_live_session(request.user, pk)
    if session is None:
        raise Http404
    return session


@login_required
def live_console(request, pk: int):
    session = _own_session_or_404(request, pk)
    products = selectors.live_products(session.pk)
    return render(request, "showcase/live_console.html", {
        "session": session, "products": products, "limit": settings.LIVE_CART_MAX_PRODUCTS,
        "candidates": list(selectors.showcase_items_not_in_live(request.user, session)) if session.is_live else [],
        **_refusal_context(request.user, "live"),
    })


def _console(pk):
    return redirect("showcase:live_console", pk=pk)


@login_required
@require_POST
def live_product_add(request, pk: int):
    session = _own_session_or_404(request, pk)
    _run(request, lambda: services.live_product_add(host=request.user, session_id=session.pk,
                                                    product_id=_int(request.POST.get("product_id"))))
    return _console(session.pk)


@login_required
@require_POST
def live_product_remove(request, pk: int, product_id: int):
    session = _own_session_or_404(request, pk)
    _run(request, lambda: services.live_product_remove(host=request.user, session_id=session.pk, product_id=product_id))
    return _console(session.pk)


@login_required
@require_POST
def live_product_move(request, pk: int, product_id: int):
    session = _own_session_or_404(request, pk)
    _run(request, lambda: services.live_product_move(host=request.user, session_id=session.pk, product_id=product_id,
                                                     direction=request.POST.get("direction", "")))
    return _console(session.pk)


@login_required
@require_POST
def live_explain(request, pk: int, product_id: int):
    session = _own_session_or_404(request, pk)
    _run(request, lambda: services.live_explaining_set(host=request.user, session_id=session.pk,
                                                       product_id=product_id))
    return _console(session.pk)


@login_required
@require_POST
def live_explain_clear(request, pk: int):
    session = _own_session_or_404(request, pk)
    _run(request, lambda: services.live_explaining_clear(host=request.user, session_id=session.pk))
    return _console(session.pk)


@login_required
@require_POST
def live_end(request, pk: int):
    session = _own_session_or_404(request, pk)
    if _run(request, lambda: services.live_session_end(host=request.user, session_id=session.pk),
            success=_("The live session has ended.")):
        return redirect("showcase:live")
    return _console(session.pk)
