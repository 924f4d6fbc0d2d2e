from django.urls import path  # noqa: F401

app_name = "engage_api"
urlpatterns: list = []
