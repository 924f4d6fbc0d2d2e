from django.urls import re_path

from . import api

app_name = "commissions_api"
urlpatterns = [
    re_path(r"^commissions/summary/?$", api.SummaryApi.as_view(), name="summary"),
    re_path(r"^commissions/lines/?$", api.LinesApi.as_view(), name="lines"),
]
