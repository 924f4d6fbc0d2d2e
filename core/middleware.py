"""Request guards: plain HTTP only for loopback clients (``make serve`` load tests), and no control
characters in any input."""
import json
import re

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponseBadRequest, HttpResponsePermanentRedirect, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .errors import error_body

LOOPBACK = {"127.0.0.1", "::1"}


class LoopbackOnlyPlainHttpMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.is_secure() and request.META.get("REMOTE_ADDR") not in LOOPBACK:
            return HttpResponsePermanentRedirect("https://" + request.get_host() + request.get_full_path())
        return self.get_response(request)


# --- Control characters: refused in every query parameter, form field and JSON string ----------

# C0 controls (NUL included) and DEL; tab, newline and carriage return are allowed in free text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_TYPES = ("application/json", "application/merge-patch+json")


def _bad_in_pairs(pairs) -> str | None:
    for key, values in pairs:
        if _CONTROL.search(key):
            return key if key.isprintable() else _CONTROL.sub("?", key)
        for value in values:
            if isinstance(value, str) and _CONTROL.search(value):
                return key
    return None


def _bad_in_json(value, path: str = "") -> str | None:
    if isinstance(value, str):
        return path if _CONTROL.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if _CONTROL.search(str(key)):
                return _CONTROL.sub("?", sub)
            found = _bad_in_json(item, sub)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _bad_in_json(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


def control_character_field(request) -> str | None:
    """The name of the first query parameter, form field or JSON string holding a control character."""
    field = _bad_in_pairs(request.GET.lists())
    if field is not None or request.method in ("GET", "HEAD", "OPTIONS"):
        return field
    content_type = request.content_type or ""
    try:
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return _bad_in_pairs(request.POST.lists())
        if content_type in _JSON_TYPES or content_type.endswith("+json"):
            try:
                data = json.loads(request.body or b"null")
            except ValueError:  # not JSON: the parser answers that
                return None
            return _bad_in_json(data)
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, MultiPartParserError, UnicodeDecodeError):
        if content_type == "multipart/form-data":
            raise  # the stream is spent: no view can read it again, so the caller answers 400 here
        return None  # the view's own parsing (of the kept body) gives the proper answer
    return None


class RefuseControlCharactersMiddleware:
    """NUL and other control characters never reach a view or the database: 400 naming the field,
    ``{"error": {"code", "message", "field"}}`` under /api/, a plain 400 page elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            field = control_character_field(request)
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, MultiPartParserError, UnicodeDecodeError):
            message = _("The form could not be read: too many fields or files, or too large.")
            if request.path.startswith("/api/"):
                return JsonResponse(error_body("invalid", message), status=400, json_dumps_params={"ensure_ascii": False})
            return HttpResponseBadRequest(escape(message))
        if field is None:
            return self.get_response(request)
        message = _("%(field)s contains a control character (such as NUL); remove it and try again.") % {
            "field": field}
        if request.path.startswith("/api/"):
            return JsonResponse(error_body("control_character", message, field), status=400,
                                json_dumps_params={"ensure_ascii": False})
        title = _("Bad request")
        html = (f'<!doctype html><html lang="{escape(get_language() or "")}"><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
                f'<body style="font-family:sans-serif;padding:24px"><h1>400 {escape(title)}</h1>'
                f'<p>{escape(message)}</p><p><a href="/">{escape(_("Home page"))}</a></p>')
        return HttpResponseBadRequest(html)
