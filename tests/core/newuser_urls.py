"""The site's URLs plus one view that fails, to see the 500 page (tests/core/test_newuser_errors.py)."""
from django.urls import path

from douyin_cart.urls import handler500  # noqa: F401
from douyin_cart.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("newuser-boom/", boom), *site_urlpatterns]
