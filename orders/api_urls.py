from django.urls import path

from . import api

app_name = "orders_api"
urlpatterns = [
    path("addresses/", api.AddressListApi.as_view(), name="addresses"),
    path("orders/", api.OrderListApi.as_view(), name="orders"),
    path("orders/<str:number>/", api.OrderDetailApi.as_view(), name="order"),
    path("orders/<str:number>/cancel", api.OrderCancelApi.as_view(), name="order_cancel"),
    path("orders/<str:number>/confirm", api.OrderConfirmApi.as_view(), name="order_confirm"),
    path("orders/<str:number>/refund-request", api.OrderRefundRequestApi.as_view(), name="order_refund_request"),
    path("merchant/orders/", api.MerchantOrderListApi.as_view(), name="merchant_orders"),
    path("merchant/orders/<str:number>/", api.MerchantOrderDetailApi.as_view(), name="merchant_order"),
    path("merchant/orders/<str:number>/ship", api.MerchantOrderShipApi.as_view(), name="merchant_order_ship"),
    path("merchant/orders/<str:number>/refund", api.MerchantOrderRefundApi.as_view(), name="merchant_order_refund"),
]
