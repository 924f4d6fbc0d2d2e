from django.urls import path

from . import api

app_name = "payouts_api"
urlpatterns = [
    path("commissions/payout-account/", api.CreatorPayoutAccountApi.as_view(), name="payout_account"),
    path("commissions/withdrawals/", api.CreatorWithdrawalListApi.as_view(), name="withdrawals"),
    path("commissions/withdrawals/limits/", api.CreatorLimitsApi.as_view(), name="limits"),
    path("commissions/withdrawals/<str:number>/", api.CreatorWithdrawalDetailApi.as_view(), name="withdrawal"),
    path("merchant/funds/", api.ShopFundsApi.as_view(), name="shop_funds"),
    path("merchant/payout-account/", api.ShopPayoutAccountApi.as_view(), name="shop_payout_account"),
    path("merchant/withdrawals/", api.ShopWithdrawalListApi.as_view(), name="shop_withdrawals"),
    path("merchant/withdrawals/<str:number>/", api.ShopWithdrawalDetailApi.as_view(), name="shop_withdrawal"),
]
