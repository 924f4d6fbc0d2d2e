"""Our own 404 and 500 pages (``templates/404.html``, ``500.html``), in the site's look.

* ``server_error`` (``handler500``) renders ``500.html`` with the request, so the layout
  and language are the visitor's; if even that fails it answers a plain page that needs
  nothing (no database, no context processors).
* ``bad_request`` (``handler400``) likewise for Django's own 400s (too many form fields).
* ``not_found`` (``handler404``): under ``/api/`` the one JSON error shape of :mod:`core.errors`
  (``{"error": {"code": "not_found", ...}}``), as a client of the API reads every other error, also
  for a path that matches no route (``/api/v1/me/live/abc``); elsewhere Django's page with
  ``templates/404.html``.
* ``DebugNotFoundMiddleware`` (dev settings only): with ``DEBUG`` Django shows its technical
  404 for an ``Http404`` a view raises. A new user walking ``make run`` is a visitor, so a
  missing object (``/products/999999/``) shows our page there too. URLs that match no route
  keep Django's technical page, which lists the routes for a developer.
"""
import logging

from django.http import Http404, HttpResponse, HttpResponseNotFound, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import bad_request as django_bad_request
from django.views.defaults import page_not_found

log = logging.getLogger(__name__)

PLAIN_500 = ("<!doctype html><html lang='zh-hans'><meta charset='utf-8'><title>500</title>"
             "<h1>服务器出错了 · Server error</h1><p><a href='/'>返回首页 · Home</a></p></html>")


def _api_error(request, code: str, message: str, status: int):
    if not request.path.startswith("/api/"):
        return None
    from core.errors import error_body

    return JsonResponse(error_body(code, message), status=status)


@requires_csrf_token
def not_found(request, exception=None):
    return _api_error(request, "not_found", gettext("Not found."), 404) or page_not_found(request, exception)


@requires_csrf_token
def bad_request(request, exception=None):
    """Django's own refusals before any view (too many form fields, a bad Host): JSON under /api/."""
    return (_api_error(request, "invalid", gettext("The request could not be read."), 400)
            or django_bad_request(request, exception))


@requires_csrf_token
def server_error(request, template_name="500.html"):
    try:
        return HttpResponseServerError(loader.render_to_string(template_name, request=request))
    except Exception:  # the page that reports an error must not fail itself
        log.exception("rendering %s failed", template_name)
        return HttpResponseServerError(PLAIN_500)


class DebugNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and not request.path.startswith("/api/"):
            response = page_not_found(request, exception)
            return HttpResponseNotFound(response.content)
        return None


PLAIN_503 = ("<!doctype html><html lang='zh-hans'><meta charset='utf-8'><title>503</title>"
             "<h1>服务暂时不可用，请稍后再试 · Briefly unavailable: please try again in a moment</h1>"
             "<p><a href='/'>返回首页 · Home</a></p></html>")
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    """The database out of reach (restarting, failing over, a dropped connection) answers
    503 with ``Retry-After``, not a 500: nothing was written (the transaction died with the
    connection), so trying again is safe and a client or the payment gateway should. Under
    ``/api/`` (and to the gateways' notify URLs) it is the API's JSON error; elsewhere a plain
    page that needs no database. Django drops the broken connection at the end of the request
    and the next one connects afresh."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        log.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
        if request.path.startswith(("/api/", "/pay/notify/", "/open/")):
            from core.errors import error_body

            response = JsonResponse(error_body("unavailable", gettext(
                "The service is briefly unavailable; nothing was saved. Please try again in a moment.")), status=503)
        else:
            response = HttpResponse(PLAIN_503, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
