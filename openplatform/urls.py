from django.urls import path

from . import gateway, views

app_name = "openplatform"

urlpatterns = [
    path("open/router", gateway.router, name="router"),
    path("open/docs/", views.docs, name="docs"),
    path("open/apps/", views.apps, name="apps"),
    path("me/authorizations/", views.grants, name="grants"),
]
