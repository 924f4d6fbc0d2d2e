from django.urls import path  # noqa: F401

app_name = "creators_api"
urlpatterns: list = []
