from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<str:handle>/", views.conversation, name="conversation"),
]
