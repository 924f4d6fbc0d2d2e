from django.urls import path

from . import api, board_api

app_name = "notices_api"
urlpatterns = [
    path("inbox/messages", api.MessageListApi.as_view(), name="messages"),
    path("inbox/messages/<int:pk>/read", api.MessageReadApi.as_view(), name="message-read"),
    path("inbox/conversations", api.ConversationListApi.as_view(), name="conversations"),
    path("inbox/conversations/<str:handle>/read", api.ConversationReadApi.as_view(), name="conversation-read"),
    path("announcements", board_api.AnnouncementListApi.as_view(), name="announcements"),
    path("announcements/<int:pk>/read", board_api.AnnouncementReadApi.as_view(), name="announcement-read"),
]
