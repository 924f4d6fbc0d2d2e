"""URL wiring: site pages, the REST API under /api/v1/, docs, health and the sandbox."""
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from oauth2_provider import views as oauth_views

from core.health import healthz
from core.views import set_language

oauth_endpoints = [
    path("token/", oauth_views.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", oauth_views.IntrospectTokenView.as_view(), name="introspect"),
    # The toolkit's Application.get_absolute_url (admin's "view on site") names this route: it
    # leads to the developer's own app page, where apps are managed here.
    path("applications/<int:pk>/", RedirectView.as_view(url="/open/apps/"), name="detail"),
]

api_v1 = [
    path("", include("showcase.api_urls")),  # first: every live viewer polls it (URLs resolve in order)
    path("", include("creators.api_urls")),
    path("", include("notices.api_urls")),
    path("", include("affiliates.api_urls")),
    path("", include("showcase.engage.api_urls")),
    path("", include("showcase.stats.api_urls")),
    path("", include("orders.api_urls")),
    path("", include("commissions.api_urls")),
    path("", include("commissions.payouts.api_urls")),
]

# Our own 500 page in the site's look (templates/500.html); 404 is Django's handler with templates/404.html,
# except under /api/, which answers the API's JSON error shape (so does Django's own 400 there).
handler400 = "core.error_pages.bad_request"
handler404 = "core.error_pages.not_found"
handler500 = "core.error_pages.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(api_v1)),
    path("", include("openplatform.urls")),  # first: its consent page overrides /oauth/authorize/
    # Only the OAuth endpoints an app uses: authorize (our consent page, above), token, revoke and
    # introspect. The toolkit's application-management, dynamic-registration and device views are
    # left out: apps are registered on /open/apps/ and approved by an operator, nowhere else.
    path("oauth/", include((oauth_endpoints, "oauth2_provider"), namespace="oauth2_provider")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("showcase.urls")),  # first of the pages: showcases and seeding pages are the hottest
    path("", include("notices.urls")),
    path("", include("affiliates.urls")),
    path("", include("orders.urls")),
    path("", include("commissions.urls")),
    path("", include("commissions.payouts.urls")),  # namespace "payouts" (the income page links payouts:withdrawals)
    path("", include("creators.urls")),
    path("", include("showcase.stats.urls")),
    path("", include("showcase.engage.urls")),  # the feed at "/"
]

if settings.SANDBOX_ENABLED:
    urlpatterns.insert(0, path("sandbox/", include("affiliates.sandbox.urls")))

if settings.BENCH_ENDPOINTS:
    from core import bench_views

    urlpatterns.insert(0, path("bench/hello", bench_views.hello))
    urlpatterns.insert(0, path("bench/one-query", bench_views.one_query))

if settings.SERVE_MEDIA:
    # Uploaded covers and videos; behind a real deployment a web server or object store does this.
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))
