"""Template helpers of the showcase room."""
from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

register = template.Library()

# Remembered per URL configuration and script prefix: the hot anonymous pages ask for the same
# few URLs on every request, and reversing one costs more than serving the page from the cache.
_reversed: dict[tuple, str] = {}
_REVERSED_MAX = 20_000


def optional_reverse(name: str, *args) -> str:
    """The URL of ``name``, or "" while no app serves it yet (tiles and links built by other
    rooms in parallel are hidden instead of breaking the page)."""
    key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), name, args)
    url = _reversed.get(key)
    if url is None:
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:
            url = ""
        if len(_reversed) >= _REVERSED_MAX:
            _reversed.clear()
        _reversed[key] = url
    return url


@register.simple_tag
def optional_url(name: str, *args) -> str:
    """``{% optional_url 'orders:list' as url %}{% if url %}…{% endif %}``"""
    return optional_reverse(name, *args)


@register.filter
def with_via(url: str, via) -> str:
    """A link carrying where the shopper came from (``?ch=…&c=…``)."""
    query = via.query() if via else ""
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"
