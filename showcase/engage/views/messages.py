"""Private messages (私信) for everyone, on the phone: the list of conversations
(/messages/) and the thread with one person (/messages/@<handle>/), opened from a
profile's 私信 button or the inbox."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from core.errors import DomainError
from creators.models import User

from .. import selectors, services
from ..forms import MessageForm, add_domain_error


@login_required
def conversation_list(request):
    return render(request, "engage/messages.html", {"rows": selectors.conversations_for(request.user)})


@login_required
def thread(request, handle):
    other = User.objects.filter(handle=handle, is_active=True).first()
    if other is None or other.pk == request.user.pk or other.is_official:
        # Official accounts talk in the inbox; nobody has a thread with themselves.
        if other is not None and other.is_official:
            return redirect("notices:conversation", handle=other.handle)
        raise Http404
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.private_message_send(sender=request.user, recipient=other, body=form.cleaned_data["body"])
            except DomainError as e:
                add_domain_error(form, e)
            else:
                return redirect("engage_thread", handle=other.handle)
        status = 400
    conversation = selectors.conversation_between(user=request.user, other=other)
    thread_messages = selectors.thread_messages(conversation)
    unread_ids = {m.pk for m in thread_messages if m.recipient_id == request.user.pk and m.read_at is None}
    if unread_ids:
        services.conversation_mark_read(user=request.user, conversation=conversation)
    return render(request, "engage/thread.html", {
        "other": other, "thread_messages": thread_messages, "unread_ids": unread_ids, "form": form,
        "messages_left": selectors.messages_left_before_reply(sender=request.user, recipient=other, conversation=conversation),
    }, status=status)
