"""The URL conf of ``manage.py runsandbox``: the sandbox and nothing else."""
from django.http import HttpResponseNotFound, HttpResponseServerError
from django.urls import include, path

from core.views import set_language

urlpatterns = [path("sandbox/", include("affiliates.sandbox.urls")),
               path("i18n/setlang/", set_language, name="set_language")]


# The site's error pages extend its base layout, whose links are not served here.
def handler404(request, exception=None):
    return HttpResponseNotFound("Not found", content_type="text/plain; charset=utf-8")


def handler500(request):
    return HttpResponseServerError("Server error", content_type="text/plain; charset=utf-8")
