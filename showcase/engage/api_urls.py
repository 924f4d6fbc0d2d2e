from django.urls import path

from . import api

app_name = "engage_api"
urlpatterns = [
    path("feed", api.FeedApi.as_view(), name="feed"),
    path("videos/<int:video_id>/seen", api.VideoSeenApi.as_view(), name="video-seen"),
    path("videos/<int:video_id>/comments", api.VideoCommentsApi.as_view(), name="video-comments"),
    path("comments/<int:comment_id>", api.CommentApi.as_view(), name="comment"),
    path("e/comments", api.OwnerCommentsApi.as_view(), name="owner-comments"),
    path("e/comments/<int:comment_id>/<slug:action>", api.OwnerCommentActionApi.as_view(), name="owner-comment-action"),
    path("messages/conversations", api.ConversationsApi.as_view(), name="conversations"),
    path("messages/conversations/<int:conversation_id>", api.ConversationMessagesApi.as_view(),
         name="conversation-messages"),
    path("messages/conversations/<int:conversation_id>/read", api.ConversationReadApi.as_view(),
         name="conversation-read"),
]
