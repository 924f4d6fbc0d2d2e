from django.urls import path

from . import views

app_name = "commissions"
urlpatterns = [
    path("commissions/income/", views.income, name="income"),
    path("commissions/income/lines.csv", views.income_csv, name="income_csv"),
]
