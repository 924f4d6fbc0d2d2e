from django.urls import path, re_path

from .views import backoffice, comments, feed, messages

HANDLE = r"(?P<handle>[A-Za-z0-9_.]{2,32})"

urlpatterns = [
    path("", feed.feed, name="feed"),
    path("feed/more/", feed.feed_more, name="engage_feed_more"),
    path("videos/<int:video_id>/comments/", comments.comments, name="engage_comments"),
    path("videos/<int:video_id>/comments/<int:comment_id>/delete/", comments.comment_delete,
         name="engage_comment_delete"),
    path("messages/", messages.conversation_list, name="engage_messages"),
    re_path(rf"^messages/@{HANDLE}/$", messages.thread, name="engage_thread"),
    path("e/", backoffice.comment_desk, name="engage_backoffice"),
    path("e/comments/<int:comment_id>/<slug:action>/", backoffice.comment_action, name="engage_backoffice_action"),
    path("e/messages/", backoffice.message_desk, name="engage_backoffice_messages"),
    path("e/messages/<int:conversation_id>/", backoffice.message_desk, name="engage_backoffice_thread"),
]
