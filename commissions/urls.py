from django.urls import path

from . import views

app_name = "commissions"
urlpatterns = [
    path("commissions/income/", views.income, name="income"),
]
