"""URL confs for the showcase's tests of what depends on the orders issue's pages: the site with
the order list and checkout (``ready``) and without them (``pending``), whatever the orders app
serves at the moment."""
from django.http import HttpResponse
from django.urls import include, path

from douyin_cart.urls import urlpatterns as site
from orders import views as orders_views

buy = path("go/<int:product_id>/", orders_views.buy, name="buy")
others = [p for p in site if getattr(p, "namespace", None) != "orders"]

ready = [
    buy,
    path("my-orders/", lambda request: HttpResponse("orders"), name="list"),
    path("checkout/<int:product_id>/", lambda request, product_id: HttpResponse("checkout"), name="checkout"),
]
urlpatterns = [path("", include((ready, "orders"))), *others]
