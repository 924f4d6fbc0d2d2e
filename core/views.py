"""The footer's language switch.

A plain link-like form (GET, no CSRF token), so pages cached whole for anonymous shoppers
carry no per-visitor token. Switching the display language changes nothing an attacker could
use, which is why it needs no CSRF protection; a POST (Django's own form shape) works too.
"""
from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods


def _safe_next(request, candidate: str) -> str:
    for url in (candidate, request.META.get("HTTP_REFERER", "")):
        if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
            return url
    return "/"


@never_cache
@require_http_methods(["GET", "POST"])
def set_language(request):
    """``?language=en&next=/path``: remember the language in its cookie and go back to ``next``
    (or to the page the switch was on, or home)."""
    params = request.POST if request.method == "POST" else request.GET
    code = params.get("language", "")
    codes = [c for c, _name in settings.LANGUAGES]
    if code not in codes or not check_for_language(code):
        return HttpResponseBadRequest(_("language must be one of: %(codes)s.") % {"codes": ", ".join(codes)},
                                      content_type="text/plain; charset=utf-8")
    response = HttpResponseRedirect(_safe_next(request, params.get("next", "")))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response
