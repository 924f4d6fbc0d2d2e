"""Template helpers of the showcase room."""
from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


def optional_reverse(name: str, *args) -> str:
    """The URL of ``name``, or "" while no app serves it yet (tiles and links built by other
    rooms in parallel are hidden instead of breaking the page)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


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
