"""What the OpenAPI schema (drf-spectacular, /api/schema/) says beyond each view's own
``@extend_schema``: the errors every operation can answer, in the one error shape of
:mod:`core.errors`, and the plain Django views that answer JSON beside DRF.

Which errors an operation documents follows from how the API answers, not from a list:

- 400 everywhere: every query parameter, form field and JSON string is checked (control
  characters by the middleware), and bodies by their serializers.
- 401 where the operation takes credentials: missing or bad ones where signing in is required,
  a bad token where it is optional (public reads need none).
- 403 where a known user may be refused (signing in required), and on writes with a session
  (CSRF).
- 404 where a path names an object, a list has pages (``?page=`` past the end), a write names
  objects in its body, or the caller's own object may not exist yet.
- 409 on writes: a rule about the present state said no (a full cart, a used key).
- 415 where the operation reads a body: one sent in a media type it does not read (or none).

A view documents more (429, a 404 of its own) with :func:`error_responses` in its
``@extend_schema``; what it documents there wins.
"""
from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="What went wrong, for programs: required, invalid, max_length, "
                                           "not_found, not_authenticated, forbidden, conflict, rate_limited, …")
    message = serializers.CharField(help_text="What went wrong, for people, in the request's language.")
    field = serializers.CharField(allow_null=True, help_text="The input the rule is about (``skus.0.price_fen`` "
                                                             "inside lists), or null.")
    fields = serializers.JSONField(required=False, help_text="On invalid input: every field's messages.")


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    error = ErrorDetailSerializer()


ERROR_TEXT = {
    400: "Bad input: `error.field` names the input and `error.code` the rule.",
    401: "Credentials missing or not valid (`WWW-Authenticate: Token`).",
    403: "Signed in, but not allowed (a right that is missing or suspended, or a failed CSRF check).",
    404: "No such object, or not yours.",
    409: "Refused by the present state (a full cart, an order that cannot move so, a reused key).",
    415: "The body's media type is not one this operation reads (see its request body).",
    429: "Too many tries; `Retry-After` says when to try again.",
    502: "A product source answered with an error; try again later.",
    503: "A product source did not answer in time; try again in a moment.",
}
# What a pasted link or 淘口令 can add: the source is asked, and may be busy or away.
SOURCE_ERRORS = (429, 502, 503)
_BAD_TOKEN_ONLY = "A token was sent and is not valid (this operation needs none)."


def error_responses(*codes: int, **described: str) -> dict[int, OpenApiResponse]:
    """``@extend_schema(responses={200: X, **error_responses(401, 429)})``; ``e404="..."`` words one."""
    texts = {int(k[1:]): v for k, v in described.items()}
    return {code: OpenApiResponse(ErrorSerializer, description=texts.get(code, ERROR_TEXT[code]))
            for code in sorted({*codes, *texts})}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema of one operation, with the errors it can answer."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        ref = self.resolve_serializer(ErrorSerializer, "response").ref
        for code, text in self._errors(operation).items():
            operation["responses"].setdefault(str(code), {
                "content": {"application/json": {"schema": ref}}, "description": text})
        return operation

    def _errors(self, operation: dict) -> dict[int, str]:
        security = operation.get("security", [])
        takes_credentials = any(security)  # ``{}`` is "no credentials" (a public read)
        sign_in_required = takes_credentials and {} not in security
        write = self.method not in SAFE_METHODS
        params = operation.get("parameters", [])
        in_path = any(p["in"] == "path" for p in params)
        paged = any(p["in"] == "query" and p["name"] == "page" for p in params)
        errors = {400: ERROR_TEXT[400]}
        if takes_credentials:
            errors[401] = ERROR_TEXT[401] if sign_in_required else _BAD_TOKEN_ONLY
        if sign_in_required or (write and takes_credentials):
            errors[403] = ERROR_TEXT[403]
        if in_path or paged or write or sign_in_required:
            errors[404] = ERROR_TEXT[404]
        if write:
            errors[409] = ERROR_TEXT[409]
        if "requestBody" in operation:
            errors[415] = ERROR_TEXT[415]
        return errors


def described_by(view, schema_view):
    """Let the schema describe a plain Django view (no DRF on a hot path) by a DRF view that is
    never routed. drf-spectacular finds operations through ``callback.cls``, which DRF's
    ``as_view()`` sets; here it is set on the plain view itself, which Django never reads."""
    view.cls = schema_view
    view.initkwargs = {}
    return view


def paginated(serializer_class, name: str):
    """The schema of a page of ``serializer_class`` rows as PageNumberPagination answers it."""
    from drf_spectacular.utils import inline_serializer
    from rest_framework import serializers

    return inline_serializer(name=name, fields={
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": serializer_class(many=True),
    })
