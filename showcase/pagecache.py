"""Whole-page caching for anonymous shoppers (no session, no pending messages): the showcase
page and the seeding page are the same HTML for all of them but for the buy link's channel
parameters on the seeding page. Those are rendered as slots and filled per request, so a cached
page costs no query and no template. The footer's language switch is a GET form, so these pages
carry no CSRF token and set no cookie; a POST form added to one later gets its token through
the CSRF slot (and the visitor a CSRF cookie) only then.
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape

CSRF_SLOT = "__csrf_token_slot__"


def cacheable(request, params: set[str]) -> bool:
    """A visitor every other anonymous visitor looks like: no session cookie, no flash message
    waiting, and only the query parameters the page understands."""
    cookies = request.COOKIES
    return (settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies
            and set(request.GET) <= params)


def render_cacheable(request, template: str, context: dict) -> str:
    """The page's HTML with the CSRF token left as a slot."""
    return render_to_string(template, {**context, "csrf_token": CSRF_SLOT}, request=request)


def respond(request, html: str, **slots) -> HttpResponse:
    """Fill the slots (the CSRF token if the page has a form that needs one, and any
    ``name=value`` given, HTML-escaped) and answer."""
    if CSRF_SLOT in html:
        html = html.replace(CSRF_SLOT, get_token(request))
    for slot, value in slots.items():
        html = html.replace(slot_marker(slot), escape(value))
    return HttpResponse(html)


def slot_marker(name: str) -> str:
    return f"__slot_{name}__"
