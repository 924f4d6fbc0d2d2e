"""The URL conf of ``manage.py runsandbox``: the sandbox and nothing else."""
from django.urls import include, path

urlpatterns = [path("sandbox/", include("affiliates.sandbox.urls"))]
