"""Inbox pages: conversations with the official accounts."""
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .hooks import conversation_actions, inbox_sections
from .selectors import conversation_messages, conversations_for
from .services import messages_mark_read, official_display_name, official_intro, official_kind_of


@login_required
def inbox(request):
    return render(request, "notices/inbox.html", {"conversations": conversations_for(request.user),
                                                  "sections": inbox_sections(request)})


@login_required
def conversation(request, handle):
    sender = get_object_or_404(get_user_model(), handle=handle, is_official=True)
    messages = list(conversation_messages(user=request.user, sender=sender))
    unread_ids = {m.pk for m in messages if m.read_at is None}
    if unread_ids:
        messages_mark_read(recipient=request.user, sender=sender)
    return render(request, "notices/conversation.html", {
        "sender": sender,
        "sender_name": official_display_name(sender),
        "sender_intro": official_intro(sender),
        "inbox_messages": messages,
        "unread_ids": unread_ids,
        "actions": conversation_actions(official_kind_of(sender), request),
    })
