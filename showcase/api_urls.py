from django.urls import path  # noqa: F401

app_name = "showcase_api"
urlpatterns: list = []
