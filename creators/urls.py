from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from .views import accounts, onboarding, profiles, rules, videos, violations

app_name = "creators"
HANDLE = r"(?P<handle>[A-Za-z0-9_.]{2,32})"

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", accounts.me, name="me"),
    path("me/profile/", accounts.profile_edit, name="profile_edit"),
    path("me/phone/", onboarding.phone, name="phone"),
    path("me/real-name/", onboarding.realname, name="realname"),
    path("me/eligibility/", onboarding.eligibility, name="eligibility"),
    path("me/product-sharing/", onboarding.apply, name="apply"),
    path("me/videos/", videos.video_list, name="videos"),
    path("me/videos/new/", videos.video_new, name="video_new"),
    path("me/videos/<int:pk>/edit/", videos.video_edit, name="video_edit"),
    path("me/videos/<int:pk>/delete/", videos.video_delete, name="video_delete"),
    path("rules/", rules.rules, name="rules"),
    path("rules/<int:pk>/", rules.rule, name="rule"),
    path("me/violations/", violations.violation_list, name="violations"),
    path("me/violations/<int:pk>/", violations.violation_detail, name="violation"),
    re_path(rf"^@{HANDLE}/$", profiles.profile, name="profile"),
    re_path(rf"^@{HANDLE}/follow/$", profiles.follow, name="follow"),
    re_path(rf"^@{HANDLE}/unfollow/$", profiles.unfollow, name="unfollow"),
]
