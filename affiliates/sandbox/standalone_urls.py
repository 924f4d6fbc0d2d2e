"""The URL conf of ``manage.py runsandbox``: the sandbox and nothing else."""
from django.urls import include, path

from core.views import set_language

urlpatterns = [path("sandbox/", include("affiliates.sandbox.urls")),
               path("i18n/setlang/", set_language, name="set_language")]
