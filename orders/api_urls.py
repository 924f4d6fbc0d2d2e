from django.urls import path

from . import api

app_name = "orders_api"
urlpatterns = [
    path("addresses/", api.AddressListApi.as_view(), name="addresses"),
    path("orders/", api.OrderListApi.as_view(), name="orders"),
    path("orders/<str:number>/", api.OrderDetailApi.as_view(), name="order"),
]
