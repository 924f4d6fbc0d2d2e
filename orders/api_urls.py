from django.urls import path  # noqa: F401

app_name = "orders_api"
urlpatterns: list = []
