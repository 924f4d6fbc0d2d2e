from django.shortcuts import render

from .gateway import STATUS
from .methods import REGISTRY, SCOPES
from .signing import param_json


def docs(request):
    """/open/docs/: every method with its parameters, scope and an example, from the registry."""
    methods = [{"m": m, "example": param_json(m.example)} for m in REGISTRY.values()]
    return render(request, "openplatform/docs.html", {
        "methods": methods, "scopes": SCOPES.items(), "codes": sorted(STATUS)})
