from django.urls import path

from . import merchant_views, pages, views

app_name = "orders"
urlpatterns = [
    path("go/<int:product_id>/", views.buy, name="buy"),
    path("checkout/<int:product_id>/", pages.checkout, name="checkout"),
    path("addresses/", pages.addresses, name="addresses"),
    path("orders/", pages.order_list, name="list"),
    path("orders/authorisation/", pages.authorisation, name="authorisation"),
    path("orders/external/<int:pk>/", pages.external_detail, name="external_detail"),
    path("orders/<str:number>/", pages.order_detail, name="detail"),
    path("pay/sandbox/statement/", pages.sandbox_statement, name="sandbox_statement"),
    path("pay/sandbox/<str:number>/", pages.sandbox_pay, name="sandbox_pay"),
    path("pay/notify/<str:gateway>/", pages.notify, name="notify"),
    path("merchant/orders/", merchant_views.merchant_orders, name="merchant_orders"),
    path("merchant/orders/<str:number>/", merchant_views.merchant_order, name="merchant_order"),
]
