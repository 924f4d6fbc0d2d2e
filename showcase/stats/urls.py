from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("stats/dashboard/", views.dashboard, name="dashboard"),
    path("stats/leaderboard/", views.leaderboard, name="leaderboard"),
]
