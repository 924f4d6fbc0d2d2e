"""HTML forms: the pool's filters (yuan and percent in, fen and bp out), the paste box, the shop
opening form and the merchant back office's product, SKU, image and alliance forms."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.errors import InvalidInput
from core.money import MoneyFormatError, bp_to_percent, percent_to_bp, yuan_to_fen

from .models import ProductSource, Shop, ShopProduct
from .selectors import POOL_SORTS, PoolFilters

SORT_CHOICES = [
    ("", _("Recommended")),
    ("commission", _("Commission rate")),
    ("sales", _("Sales")),
    ("price", _("Price: low to high")),
    ("price_desc", _("Price: high to low")),
]
assert {c for c, _label in SORT_CHOICES if c} == set(POOL_SORTS)


def _yuan(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        fen = yuan_to_fen(value)
    except MoneyFormatError:
        raise forms.ValidationError(_("Enter an amount in yuan with at most two decimals, e.g. 19.90."),
                                    code="invalid_amount")
    if fen < 0:
        raise forms.ValidationError(_("Cannot be negative."), code="negative")
    return fen


def _percent(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return percent_to_bp(value)
    except MoneyFormatError:
        raise forms.ValidationError(_("Enter a percentage with at most two decimals, e.g. 20 or 12.5."),
                                    code="invalid_percent")


class PoolFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    source = forms.ChoiceField(label=_("Source"), required=False,
                               choices=[("", _("All sources")), *ProductSource.choices])
    category = forms.CharField(label=_("Category"), required=False, max_length=100)
    price_min = forms.CharField(label=_("Lowest price (¥)"), required=False, max_length=12)
    price_max = forms.CharField(label=_("Highest price (¥)"), required=False, max_length=12)
    rate_min = forms.CharField(label=_("Lowest commission rate (%)"), required=False, max_length=8)
    rate_max = forms.CharField(label=_("Highest commission rate (%)"), required=False, max_length=8)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def clean_price_min(self):
        return _yuan(self.cleaned_data["price_min"])

    def clean_price_max(self):
        return _yuan(self.cleaned_data["price_max"])

    def clean_rate_min(self):
        return _percent(self.cleaned_data["rate_min"])

    def clean_rate_max(self):
        return _percent(self.cleaned_data["rate_max"])

    def filters(self) -> PoolFilters | None:
        """Valid filters, or None with the errors next to their fields."""
        if not self.is_valid():
            return None
        d = self.cleaned_data
        filters = PoolFilters(source=d["source"], category=d["category"].strip(), price_min_fen=d["price_min"],
                              price_max_fen=d["price_max"], rate_min_bp=d["rate_min"], rate_max_bp=d["rate_max"],
                              sort=d["sort"], q=d["q"])
        try:
            return filters.validate(names={"price_min_fen": "price_min", "price_max_fen": "price_max",
                                           "rate_min_bp": "rate_min", "rate_max_bp": "rate_max"})
        except InvalidInput as exc:
            self.add_error(exc.field if exc.field in self.fields else None, str(exc.message))
            return None


class ResolveForm(forms.Form):
    text = forms.CharField(
        label=_("Paste a Taobao token (淘口令) or product link"), max_length=settings.RESOLVER_MAX_PASTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("e.g. ￥AbCd1234567￥ or a product link"),
                                     "autocomplete": "off"}),
        error_messages={"required": _("Paste a Taobao token (淘口令) or a product link.")},
    )


class ShopOpenForm(forms.ModelForm):
    class Meta:
        model = Shop
        fields = ["name", "category", "contact_name", "contact_phone"]
        widgets = {"contact_phone": forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"})}

    def validate_unique(self):
        """Uniqueness is the service's rule (it says which one); the form only checks shapes."""


class ShopProductForm(forms.ModelForm):
    class Meta:
        model = ShopProduct
        fields = ["title", "category", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class SkuForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Spec"), max_length=40,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. Red / M")}))
    price = forms.CharField(label=_("Price (¥)"), max_length=12,
                            widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "29.90"}))
    stock = forms.IntegerField(label=_("Stock"), min_value=0, max_value=settings.SHOP_SKU_MAX_STOCK,
                               widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}))

    def clean_price(self):
        fen = _yuan(self.cleaned_data["price"])
        if fen is None or fen <= 0:
            raise forms.ValidationError(_("Price must be more than ¥0."), code="min_value")
        return fen


SkuFormSet = forms.formset_factory(SkuForm, extra=0, can_delete=True, max_num=settings.SHOP_PRODUCT_MAX_SKUS,
                                   validate_max=True)


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Image"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))


class AllianceForm(forms.Form):
    commission_rate = forms.CharField(
        label=_("Commission rate (%)"), max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "20"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission_rate"].help_text = _(
            "Between %(min)s and %(max)s of the price, paid to the creator who sells it.") % {
            "min": bp_to_percent(settings.ALLIANCE_RATE_MIN_BP), "max": bp_to_percent(settings.ALLIANCE_RATE_MAX_BP)}

    def clean_commission_rate(self):
        return _percent(self.cleaned_data["commission_rate"])

