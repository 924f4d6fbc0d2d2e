from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "creators"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
