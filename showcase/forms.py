"""HTML forms: they only shape input; the rules live in the services."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from affiliates.models import ProductSource
from core.errors import DomainError
from core.money import MoneyFormatError, yuan_to_fen

SEARCH_SOURCES = [(v, label) for v, label in ProductSource.choices if v != ProductSource.SHOP]


def add_domain_error(form: forms.Form, error: DomainError, mapping: dict | None = None) -> None:
    """Show a service's refusal next to the field it names (or above the form)."""
    field = (mapping or {}).get(error.field, error.field)
    form.add_error(field if field in form.fields else None, str(error.message))


class YuanField(forms.CharField):
    """An amount in yuan (at most two decimals), cleaned to integer fen."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            fen = yuan_to_fen(value)
        except MoneyFormatError:
            raise forms.ValidationError(_("Enter an amount in yuan, such as 59 or 59.90."), code="invalid")
        if fen < 0:
            raise forms.ValidationError(_("Cannot be negative."), code="negative")
        return fen


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False, strip=True)
    tab = forms.ChoiceField(choices=[("all", _("All")), ("products", pgettext_lazy("search tab", "Products"))],
                            required=False)
    source = forms.ChoiceField(label=_("Source"), choices=[("", _("All sources")), *SEARCH_SOURCES], required=False)
    price_min = YuanField(label=_("Lowest price (yuan)"), required=False,
                          widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    price_max = YuanField(label=_("Highest price (yuan)"), required=False,
                          widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=[
        ("", _("Best match")), ("sales", _("Sales")), ("price", _("Price: low to high")),
        ("price_desc", _("Price: high to low"))])

    def clean(self):
        data = super().clean()
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_min", _("The lowest price is above the highest price."))
        data["price_min_fen"], data["price_max_fen"] = low, high
        return data


class PasteForm(forms.Form):
    text = forms.CharField(label=_("Paste a Taobao token (淘口令) or product link"),
                           max_length=settings.RESOLVER_MAX_PASTE_CHARS,
                           widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Paste here")}))


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Category name"), max_length=20)


class LiveStartForm(forms.Form):
    title = forms.CharField(label=_("Live title"), max_length=40)
    cover = forms.FileField(label=_("Cover image"),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
