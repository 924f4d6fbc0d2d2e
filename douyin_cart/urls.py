"""URL wiring: site pages, the REST API under /api/v1/, docs, health and the sandbox."""
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from core.health import healthz

api_v1 = [
    path("", include("creators.api_urls")),
    path("", include("notices.api_urls")),
    path("", include("affiliates.api_urls")),
    path("", include("showcase.api_urls")),
    path("", include("orders.api_urls")),
    path("", include("commissions.api_urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("notices.urls")),
    path("", include("affiliates.urls")),
    path("", include("orders.urls")),
    path("", include("commissions.urls")),
    path("", include("creators.urls")),
    path("", include("showcase.urls")),  # last: it owns "/" and "/@<handle>/"
]

if settings.SANDBOX_ENABLED:
    urlpatterns.insert(0, path("sandbox/", include("affiliates.sandbox.urls")))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
