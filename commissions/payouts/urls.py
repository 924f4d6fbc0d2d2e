from django.urls import path

from . import views

app_name = "payouts"
urlpatterns = [
    path("commissions/withdrawals/", views.withdrawals, name="withdrawals"),
    path("merchant/funds/", views.merchant_funds, name="merchant_funds"),
    path("payouts/notify/<str:gateway>/", views.notify, name="notify"),
]
