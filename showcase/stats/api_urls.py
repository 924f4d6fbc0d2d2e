from django.urls import path

from . import api

app_name = "stats_api"
urlpatterns = [
    path("stats/dashboard", api.DashboardApi.as_view(), name="dashboard"),
    path("stats/leaderboard", api.LeaderboardApi.as_view(), name="leaderboard"),
]
