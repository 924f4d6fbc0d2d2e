"""HTML pages: the pool with its paste box (phone), opening a shop, the merchant back office (PC)."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError

from . import selectors, services
from .forms import AllianceForm, ImageForm, PoolFilterForm, ResolveForm, ShopOpenForm, ShopProductForm, SkuFormSet
from .models import ProductSource, ShopProductStatus
from .resolver import GateRefused, product_resolve
from .selectors import PoolFilters


# --- pool ---------------------------------------------------------------------------------------------
def _pool_context(request, form: PoolFilterForm, **extra) -> dict:
    filters = form.filters() if form.is_bound else PoolFilters()
    products = selectors.pool_products(filters=filters or PoolFilters(), user=request.user)
    page = Paginator(products, settings.POOL_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    has_shop = selectors._own_shop_id(request.user) is not None
    sources = [(value, label) for value, label in ProductSource.choices if value != ProductSource.SHOP or has_shop]
    return {
        "form": form, "filters": filters, "page": page, "query_string": params.urlencode(),
        "showing_hot": filters is not None and filters.is_empty, "sources": sources, "has_shop": has_shop,
        "active_source": (filters.source if filters else ""),
        "categories": selectors.pool_categories(source=filters.source if filters else ""),
        "resolve_form": extra.pop("resolve_form", None) or ResolveForm(), **extra,
    }


@login_required
def pool(request):
    """Pick products (选择、筛选或搜索) or paste a link; nothing chosen shows the hot sellers."""
    form = PoolFilterForm(request.GET or None)
    return render(request, "affiliates/pool.html", _pool_context(request, form))


@login_required
@require_POST
def pool_resolve(request):
    """The paste box: answers with a product card ready to add, or a refusal next to the box."""
    resolve_form = ResolveForm(request.POST)
    context = {"resolve_form": resolve_form}
    status = 200
    if resolve_form.is_valid():
        try:
            context["resolved"] = product_resolve(text=resolve_form.cleaned_data["text"], user=request.user)
        except GateRefused as exc:
            context["refused_product"] = exc.product
            resolve_form.add_error("text", str(exc.message))
            status = exc.status_code
        except DomainError as exc:
            resolve_form.add_error("text", str(exc.message))
            status = exc.status_code
    else:
        status = 400
    return render(request, "affiliates/pool.html", _pool_context(request, PoolFilterForm(), **context),
                  status=status)


# --- shop ---------------------------------------------------------------------------------------------
def _apply_error(form, exc: DomainError, mapping: dict | None = None) -> None:
    field = (mapping or {}).get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, str(exc.message))


@login_required
def shop_open(request):
    """开通小店: one shop per account; the back office is where its products live."""
    if selectors.shop_for_owner(request.user) is not None:
        messages.info(request, _("You already have a shop."))
        return redirect("affiliates:merchant_home")
    form = ShopOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.shop_open(owner=request.user, **form.cleaned_data)
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Your shop is open. Add your first product."))
            return redirect("affiliates:merchant_home")
    return render(request, "affiliates/shop_open.html", {"form": form}, status=400 if form.errors else 200)


# --- merchant back office -------------------------------------------------------------------------------
def _shop_or_redirect(request):
    shop = selectors.shop_for_owner(request.user)
    return shop, (None if shop else redirect("affiliates:shop_open"))


def _own_product(request, pk):
    shop = selectors.shop_for_owner(request.user)
    product = selectors.merchant_product(shop=shop, pk=pk)
    if product is None:  # not yours: the page does not exist for you
        raise Http404
    return shop, product


@login_required
def merchant_home(request):
    shop, away = _shop_or_redirect(request)
    if away:
        return away
    status = request.GET.get("status", "")
    if status not in ShopProductStatus.values:
        status = ""
    page = Paginator(selectors.merchant_products(shop=shop, status=status), 20).get_page(request.GET.get("page"))
    return render(request, "affiliates/merchant/home.html", {
        "shop": shop, "page": page, "status": status, "statuses": ShopProductStatus.choices,
    })


def _sku_initial(product) -> list[dict]:
    return [{"id": s.pk, "name": s.name, "price": f"{s.price_fen // 100}.{s.price_fen % 100:02d}", "stock": s.stock}
            for s in product.skus.filter(is_active=True)]


def _skus_from_formset(formset) -> tuple[list[services.SkuData], list]:
    """The SKUs the merchant filled in (blank and deleted rows left out) and the row of each."""
    skus, rows = [], []
    for f in formset.forms:
        d = f.cleaned_data
        if not d or d.get("DELETE"):
            continue
        skus.append(services.SkuData(name=d["name"], price_fen=d["price"], stock=d["stock"], id=d.get("id")))
        rows.append(f)
    return skus, rows


def _formset_error(formset, exc: DomainError, rows: list) -> bool:
    """Put a service error about ``skus.<i>.<field>`` next to that field of row i."""
    parts = (exc.field or "").split(".")
    if len(parts) == 3 and parts[0] == "skus" and parts[1].isdigit() and int(parts[1]) < len(rows):
        row = rows[int(parts[1])]
        field = {"price_fen": "price"}.get(parts[2], parts[2])
        row.add_error(field if field in row.fields else None, str(exc.message))
        return True
    if exc.field == "skus":
        formset._non_form_errors = formset.error_class([str(exc.message)])
        return True
    return False


def _product_form_page(request, shop, product=None):
    form = ShopProductForm(request.POST or None, instance=product)
    initial = _sku_initial(product) if product else []
    formset = SkuFormSet(request.POST or None, prefix="sku", initial=initial or None)
    if not request.POST:
        formset.extra = 3 if not initial else 1
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        skus, rows = _skus_from_formset(formset)
        try:
            if product is None:
                product = services.shop_product_create(shop=shop, skus=skus, **form.cleaned_data)
                messages.success(request, _("Product saved as a draft. Upload images, then put it on sale."))
            else:
                services.shop_product_update(product=product, skus=skus, **form.cleaned_data)
                messages.success(request, _("Product saved."))
        except DomainError as exc:
            if not _formset_error(formset, exc, rows):
                _apply_error(form, exc)
        else:
            return redirect("affiliates:merchant_product_edit", pk=product.pk)
    bad = bool(form.errors or any(formset.errors) or formset.non_form_errors())
    return render(request, "affiliates/merchant/product_form.html", {
        "shop": shop, "product": product, "form": form, "formset": formset,
        "image_form": ImageForm(), "alliance_form": _alliance_form(product),
    }, status=400 if bad else 200)


def _alliance_form(product, data=None):
    if product is None:
        return None
    initial = {"commission_rate": f"{product.alliance_rate_bp / 100:g}"} if product.alliance_rate_bp else None
    return AllianceForm(data, initial=initial)


@login_required
def merchant_product_create(request):
    shop, away = _shop_or_redirect(request)
    if away:
        return away
    return _product_form_page(request, shop)


@login_required
def merchant_product_edit(request, pk):
    shop, product = _own_product(request, pk)
    return _product_form_page(request, shop, product)


def _action_page(request, shop, product, *, image_form=None, alliance_form=None, status=400):
    form = ShopProductForm(instance=product)
    formset = SkuFormSet(prefix="sku", initial=_sku_initial(product))
    formset.extra = 0
    return render(request, "affiliates/merchant/product_form.html", {
        "shop": shop, "product": product, "form": form, "formset": formset,
        "image_form": image_form or ImageForm(), "alliance_form": alliance_form or _alliance_form(product),
    }, status=status)


@login_required
@require_POST
def merchant_product_image_add(request, pk):
    shop, product = _own_product(request, pk)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.shop_product_image_add(product=product, image=form.cleaned_data["image"])
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Image uploaded."))
            return redirect("affiliates:merchant_product_edit", pk=pk)
    return _action_page(request, shop, product, image_form=form)


@login_required
@require_POST
def merchant_product_image_delete(request, pk, image_pk):
    shop, product = _own_product(request, pk)
    image = product.images.filter(pk=image_pk).first()
    if image is None:
        raise Http404
    try:
        services.shop_product_image_delete(image=image)
    except DomainError as exc:
        form = ImageForm()
        form.add_error(None, str(exc.message))
        return _action_page(request, shop, product, image_form=form)
    messages.success(request, _("Image removed."))
    return redirect("affiliates:merchant_product_edit", pk=pk)


@login_required
@require_POST
def merchant_product_publish(request, pk):
    shop, product = _own_product(request, pk)
    try:
        services.shop_product_publish(product=product)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The product is on sale."))
    return redirect("affiliates:merchant_product_edit", pk=pk)


@login_required
@require_POST
def merchant_product_unpublish(request, pk):
    shop, product = _own_product(request, pk)
    services.shop_product_unpublish(product=product)
    messages.success(request, _("The product is off sale."))
    return redirect("affiliates:merchant_product_edit", pk=pk)


@login_required
@require_POST
def merchant_product_alliance(request, pk):
    """List in 精选联盟 at a commission rate (or change the rate)."""
    shop, product = _own_product(request, pk)
    form = AllianceForm(request.POST)
    if form.is_valid():
        try:
            services.shop_product_alliance_list(product=product, rate_bp=form.cleaned_data["commission_rate"])
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Listed in the Selected Alliance: every creator can now add it."))
            return redirect("affiliates:merchant_product_edit", pk=pk)
    return _action_page(request, shop, product, alliance_form=form)


@login_required
@require_POST
def merchant_product_alliance_unlist(request, pk):
    shop, product = _own_product(request, pk)
    services.shop_product_alliance_unlist(product=product)
    messages.success(request, _("Removed from the Selected Alliance."))
    return redirect("affiliates:merchant_product_edit", pk=pk)
