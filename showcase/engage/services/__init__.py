"""Every write of the engage app: comments and their moderation, private messages."""
from .comments import (
    comment_delete,
    comment_hide,
    comment_operator_set_status,
    comment_pin,
    comment_post,
    comment_unhide,
    comment_unpin,
)
from .messages import conversation_mark_read, conversation_open, private_message_send

__all__ = [
    "comment_delete", "comment_hide", "comment_operator_set_status", "comment_pin", "comment_post", "comment_unhide", "comment_unpin",
    "conversation_mark_read", "conversation_open", "private_message_send",
]
