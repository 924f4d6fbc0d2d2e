from django.urls import path  # noqa: F401

app_name = "affiliates_api"
urlpatterns: list = []
