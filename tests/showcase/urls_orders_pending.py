"""The site as it is before the orders issue adds the order list and checkout (see urls_orders_ready)."""
from django.urls import include, path

from .urls_orders_ready import buy, others

urlpatterns = [path("", include(([buy], "orders"))), *others]
