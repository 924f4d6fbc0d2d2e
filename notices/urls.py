from django.urls import path

from . import board_views, quiz_views, views

app_name = "notices"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<str:handle>/", views.conversation, name="conversation"),
    path("academy/", board_views.academy, name="academy"),
    path("academy/<int:pk>/", board_views.course, name="course"),
    path("academy/quizzes/", quiz_views.quiz_list, name="quizzes"),
    path("academy/quizzes/<int:pk>/", quiz_views.quiz, name="quiz"),
    path("announcements/", board_views.announcements, name="announcements"),
    path("announcements/read-all/", board_views.announcements_read_all, name="announcements_read_all"),
    path("announcements/<int:pk>/", board_views.announcement, name="announcement"),
]
