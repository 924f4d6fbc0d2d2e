"""The sandbox, mounted at ``/sandbox/`` when ``settings.SANDBOX_ENABLED`` (and alone by
``manage.py runsandbox``). Gateways sit at the real paths under ``/sandbox/<source>/``."""
from django.urls import include, path, re_path

from . import views
from .twins import twins

app_name = "sandbox"
_SOURCES = "|".join(t.SOURCE for t in twins())

urlpatterns = [
    path("orders/", views.order_list, name="orders"),
    path("orders/<int:pk>/", views.order_page, name="order"),
    path("orders/<int:pk>/<str:action>", views.order_action, name="order_action"),
    re_path(rf"^(?P<source>{_SOURCES})/item/(?P<external_id>[\w-]+)$", views.item_page, name="item"),
    re_path(rf"^(?P<source>{_SOURCES})/item/(?P<external_id>[\w-]+)/buy$", views.item_buy, name="item_buy"),
    re_path(rf"^(?P<source>{_SOURCES})/img/(?P<external_id>[\w-]+)/(?P<n>\d)\.svg$", views.image, name="image"),
    *[path(f"{t.SOURCE}/", include(t.urlpatterns)) for t in twins()],
    re_path(rf"^(?P<source>{_SOURCES})/(?P<host>[\w.-]+\.[a-z]+)/(?P<code>[\w.-]+)$", views.short_link,
            name="short_link"),
]
