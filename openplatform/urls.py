from django.urls import path

from . import gateway, views

app_name = "openplatform"

urlpatterns = [
    path("open/router", gateway.router, name="router"),
    path("open/docs/", views.docs, name="docs"),
]
