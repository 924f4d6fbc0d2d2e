"""Real API answers checked against the OpenAPI schema the project serves (/api/schema/).

Every answer under /api/v1/ that a test client receives must be one the schema documents: the
route and method are in the schema, the status code is one of the operation's responses, and a
JSON body validates against that response's schema — with no property the schema does not
name. ``tests/conftest.py`` runs the check on every test's API calls, so a view that answers
other than its schema says fails the test that calls it.

OpenAPI 3.0 schemas are turned into JSON Schema (2020-12) for :mod:`jsonschema`: ``nullable``
becomes ``anyOf [..., null]``, boolean ``exclusiveMinimum``/``exclusiveMaximum`` become numbers,
component references point into ``$defs``, and objects with ``properties`` get
``additionalProperties: false`` unless they say otherwise.
"""
from __future__ import annotations

import json
import re
from functools import cached_property

import jsonschema

API_PREFIX = "/api/v1/"
# Operations whose body is known to differ from their schema, each with why it is not fixed here.
# Empty it as they are fixed; a new entry needs a reason and an owner.
KNOWN_LIES = {
    ("GET", "/api/v1/commissions/lines/"): "commissions/api.py declares a bare list of lines; the answer is a "
                                            "page object (count, next, previous, results). Owner: commissions.",
}
_SCHEMA_KEYS = ("items", "additionalProperties", "not")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_DROPPED = ("nullable", "readOnly", "writeOnly", "example", "examples", "discriminator", "xml", "externalDocs",
            "deprecated")


def to_json_schema(node):
    """One OpenAPI 3.0 schema object as JSON Schema 2020-12."""
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in _DROPPED:
            continue
        if key == "$ref":
            out[key] = value.replace("#/components/schemas/", "#/$defs/")
        elif key == "properties":
            out[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        elif key in _SCHEMA_KEYS and isinstance(value, dict):
            out[key] = to_json_schema(value)
        elif key in _SCHEMA_LISTS:
            out[key] = [to_json_schema(sub) for sub in value]
        else:
            out[key] = value
    for bound in ("Minimum", "Maximum"):
        if out.get(f"exclusive{bound}") is True:
            out[f"exclusive{bound}"] = out.pop(bound.lower())
        elif out.get(f"exclusive{bound}") is False:
            del out[f"exclusive{bound}"]
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if node.get("nullable"):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


class SchemaCheck:
    """Finds the operation of a request and checks an answer against it."""

    def __init__(self, schema: dict):
        self.schema = schema
        self.defs = {name: to_json_schema(s) for name, s in schema.get("components", {}).get("schemas", {}).items()}
        self._validators: dict[tuple, jsonschema.Draft202012Validator] = {}

    @cached_property
    def _routes(self) -> list[tuple[re.Pattern, str]]:
        routes = []
        for template in self.schema["paths"]:
            pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
            routes.append((re.compile(f"^{pattern}$"), template))
        # a literal segment wins over a parameter (creators/me before creators/{handle})
        routes.sort(key=lambda r: r[1].count("{"))
        return routes

    def route(self, path: str) -> str | None:
        return next((template for pattern, template in self._routes if pattern.match(path)), None)

    def operation(self, method: str, path: str) -> tuple[str | None, dict | None]:
        template = self.route(path)
        if template is None:
            return None, None
        return template, self.schema["paths"][template].get(method.lower())

    def problems(self, method: str, path: str, status: int, content_type: str, body: bytes) -> list[str]:
        """What is wrong with this answer, as sentences; empty when the schema tells the truth."""
        if not path.startswith(API_PREFIX) or status >= 500 or status == 405:
            return []
        where = f"{method} {path} → {status}"
        template, operation = self.operation(method, path)
        if template is None:
            # an address no route answers is Django's 404, not an operation
            return [] if status == 404 else [f"{where}: the route is not in the schema"]
        if operation is None:
            return [f"{where}: {template} has no {method} operation in the schema"]
        documented = operation["responses"].get(str(status)) or operation["responses"].get("default")
        if documented is None:
            return [f"{where}: status {status} is not documented for {method} {template} "
                    f"(documented: {', '.join(sorted(operation['responses']))})"]
        if status in (204, 304) or not body or "json" not in (content_type or "") or (method, template) in KNOWN_LIES:
            return []
        content = documented.get("content") or {}
        if "application/json" not in content:
            return [f"{where}: a JSON body where {method} {template} documents none for {status}"]
        validator = self._validator(template, method, status, content["application/json"].get("schema", {}))
        data = json.loads(body)
        return [f"{where}: at {'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
                for e in validator.iter_errors(data)][:10]

    def _validator(self, template, method, status, schema) -> jsonschema.Draft202012Validator:
        key = (template, method, status)
        if key not in self._validators:
            self._validators[key] = jsonschema.Draft202012Validator({**to_json_schema(schema), "$defs": self.defs})
        return self._validators[key]


_check: SchemaCheck | None = None


def schema_check() -> SchemaCheck:
    """The check for the schema the project serves now (generated once per test run)."""
    global _check
    if _check is None:
        from drf_spectacular.generators import SchemaGenerator

        _check = SchemaCheck(SchemaGenerator().get_schema(request=None, public=True))
    return _check


def check_response(response) -> list[str]:
    """Problems of a Django test client's response (``response.request`` is the WSGI request)."""
    if getattr(response, "streaming", False):
        return []
    request = response.request
    return schema_check().problems(request["REQUEST_METHOD"], request["PATH_INFO"], response.status_code,
                                   response.get("Content-Type", ""), response.content)
