from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("go/<int:product_id>/", views.buy, name="buy"),
]
