from django.urls import path
from oauth2_provider.views import AuthorizationView

from . import gateway, views

app_name = "openplatform"

urlpatterns = [
    # Our own consent page (both languages, the site's look), before django-oauth-toolkit's URLs.
    path("oauth/authorize/", AuthorizationView.as_view(template_name="openplatform/authorize.html"), name="authorize"),
    path("open/router", gateway.router, name="router"),
    path("open/docs/", views.docs, name="docs"),
    path("open/apps/", views.apps, name="apps"),
    path("me/authorizations/", views.grants, name="grants"),
]
