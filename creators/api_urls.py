from django.urls import path, re_path

from . import api, api_governance

app_name = "creators_api"
HANDLE = r"(?P<handle>[A-Za-z0-9_.]{2,32})"

urlpatterns = [
    path("auth/signup", api.SignupApi.as_view(), name="signup"),
    path("auth/token", api.TokenApi.as_view(), name="token"),
    path("creators/me", api.MeApi.as_view(), name="me"),
    path("creators/me/videos", api.MyVideosApi.as_view(), name="my-videos"),
    path("creators/me/videos/<int:pk>", api.MyVideoApi.as_view(), name="my-video"),
    path("creators/me/phone", api.PhoneApi.as_view(), name="phone"),
    path("creators/me/phone/code", api.PhoneCodeApi.as_view(), name="phone-code"),
    path("creators/me/real-name", api.RealNameApi.as_view(), name="real-name"),
    path("creators/me/eligibility", api.EligibilityApi.as_view(), name="eligibility"),
    path("creators/me/cart-applications", api.MyApplicationsApi.as_view(), name="my-applications"),
    path("creators/me/cart-applications/<int:pk>", api.MyApplicationApi.as_view(), name="my-application"),
    path("creators/me/rights", api.MyRightsApi.as_view(), name="my-rights"),
    path("creators/me/violations", api_governance.MyViolationsApi.as_view(), name="my-violations"),
    path("creators/me/violations/<int:pk>", api_governance.MyViolationApi.as_view(), name="my-violation"),
    path("creators/me/violations/<int:pk>/appeal", api_governance.MyViolationAppealApi.as_view(),
         name="my-violation-appeal"),
    re_path(rf"^creators/{HANDLE}$", api.CreatorApi.as_view(), name="creator"),
    re_path(rf"^creators/{HANDLE}/videos$", api.CreatorVideosApi.as_view(), name="creator-videos"),
    re_path(rf"^creators/{HANDLE}/follow$", api.FollowApi.as_view(), name="follow"),
]
