"""Domain errors and their one mapping to HTTP.

Services raise :class:`DomainError` subclasses; the API exception handler and the HTML
views turn them into ``{"error": {"code", "message", "field"}}`` with a 4xx status.
"""
from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_default_handler

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the domain said no. ``field`` names the input the rule is about."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, message, *, field: str | None = None, code: str | None = None):
        super().__init__(force_str(message))
        self.message = message
        self.field = field
        self.code = code or self.default_code

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": force_str(self.message), "field": self.field}}


class InvalidInput(DomainError):
    default_code = "invalid"


class Unauthenticated(DomainError):
    """Missing or wrong credentials (401 with ``WWW-Authenticate: Token``)."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_code = "not_authenticated"


class NotFound(DomainError):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = "not_found"


class Forbidden(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "forbidden"


class Conflict(DomainError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class RateLimited(DomainError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "rate_limited"


def _first_error(detail, prefix: str | None = None) -> tuple[str | None, str, str]:
    """Flatten DRF's nested error detail into (field, message, code) of the first error."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            field = None if key in ("non_field_errors", "__all__") else key
            if prefix and field:
                field = f"{prefix}.{field}"
            sub_field, message, code = _first_error(value, field or prefix)
            return sub_field or field or prefix, message, code
    if isinstance(detail, list) and detail:
        return _first_error(detail[0], prefix)
    code = getattr(detail, "code", "invalid") or "invalid"
    return prefix, force_str(detail), code


def error_body(code: str, message, field: str | None = None) -> dict:
    return {"error": {"code": code, "message": force_str(message), "field": field}}


def api_exception_handler(exc, context):
    """DRF exception handler: every error becomes ``{"error": {code, message, field}}``."""
    if isinstance(exc, DomainError):
        headers = {}
        if exc.status_code == status.HTTP_401_UNAUTHORIZED:
            headers["WWW-Authenticate"] = "Token"
        if getattr(exc, "retry_after", None):
            headers["Retry-After"] = str(exc.retry_after)
        return Response(exc.as_dict(), status=exc.status_code, headers=headers)
    if isinstance(exc, SuspiciousOperation):  # too many fields or files, too big a body: the client's fault
        return Response(error_body("invalid", _("The request could not be read: too many fields or too large.")),
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        exc = drf_exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    response = drf_default_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf_exceptions.ValidationError):
        field, message, code = _first_error(exc.detail)
        response.data = error_body(code, message, field)
        response.data["error"]["fields"] = exc.detail
    else:
        detail = getattr(exc, "detail", str(exc))
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = error_body(code, detail)
    return response
