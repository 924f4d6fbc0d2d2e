"""The creator back office (E后台, /e/): a PC-width desk where a creator with cart rights
manages the comments on their videos and their private messages. Comments on other
creators' videos and other people's conversations are 404."""
from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError, Forbidden, NotFound

from .. import selectors, services
from ..access import require_backoffice
from ..forms import CommentFilterForm, MessageForm, ReplyForm, add_domain_error
from ..models import Comment


def backoffice_view(view):
    """Login, then a usable cart right; without one the page says why (403)."""
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            require_backoffice(request.user)
        except Forbidden as refusal:
            return render(request, "engage/backoffice/refused.html", {"reason": refusal.message}, status=403)
        return view(request, *args, **kwargs)
    return wrapper


def _nav(request) -> dict:
    return {"pm_unread": selectors.private_unread_count(request.user)}


@backoffice_view
def comment_desk(request):
    videos = selectors.owner_videos_for_filter(request.user)
    form = CommentFilterForm(request.GET or None, videos=videos)
    filters = {}
    if form.is_valid():
        filters = {"video_id": form.cleaned_data["video"], "status": form.cleaned_data["status"],
                   "mentions_product": True if form.cleaned_data["mentions"] else None}
    page = selectors.owner_comment_page(owner=request.user, page=request.GET.get("page", 1), **filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "engage/backoffice/comments.html", {
        **_nav(request), "section": "comments", "form": form, "page": page, "query": query.urlencode(),
        "reply_form": ReplyForm(), "Status": Comment.Status,
    })


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("engage_backoffice")


ACTIONS = {
    "pin": (services.comment_pin, gettext_lazy("Comment pinned to the top.")),
    "unpin": (services.comment_unpin, gettext_lazy("Comment unpinned.")),
    "hide": (services.comment_hide, gettext_lazy("Comment hidden from shoppers.")),
    "unhide": (services.comment_unhide, gettext_lazy("Comment shown again.")),
}


@backoffice_view
@require_POST
def comment_action(request, comment_id, action):
    try:
        if action == "delete":
            if not selectors.owner_comments(owner=request.user).filter(pk=comment_id).exists():
                raise Http404
            services.comment_delete(actor=request.user, comment_id=comment_id)
            done = _("Comment deleted.")
        elif action == "reply":
            comment = selectors.owner_comments(owner=request.user).filter(pk=comment_id).first()
            if comment is None:
                raise Http404
            form = ReplyForm(request.POST)
            if not form.is_valid():
                messages.error(request, form.errors["body"][0])
                return redirect(_back(request))
            services.comment_post(video_id=comment.video_id, author=request.user, body=form.cleaned_data["body"],
                                  parent_id=comment.pk)
            done = _("Reply posted.")
        elif action in ACTIONS:
            service, done = ACTIONS[action]
            service(owner=request.user, comment_id=comment_id)
        else:
            raise Http404
    except NotFound:
        raise Http404
    except DomainError as e:
        messages.error(request, str(e.message))
        return redirect(_back(request))
    messages.success(request, str(done))
    return redirect(_back(request))


@backoffice_view
def message_desk(request, conversation_id=None):
    rows = selectors.conversations_for(request.user)
    conversation = other = None
    thread_messages, unread_ids = [], set()
    form = MessageForm(request.POST or None)
    status = 200
    if conversation_id is not None:
        conversation = selectors.conversation_of(user=request.user, conversation_id=conversation_id)
        if conversation is None:
            raise Http404
        other = conversation.user_high if conversation.user_low_id == request.user.pk else conversation.user_low
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.private_message_send(sender=request.user, recipient=other, body=form.cleaned_data["body"])
                except DomainError as e:
                    add_domain_error(form, e)
                else:
                    return redirect("engage_backoffice_thread", conversation_id=conversation.pk)
            status = 400
        thread_messages = selectors.thread_messages(conversation)
        unread_ids = {m.pk for m in thread_messages if m.recipient_id == request.user.pk and m.read_at is None}
        if unread_ids:
            services.conversation_mark_read(user=request.user, conversation=conversation)
            rows = selectors.conversations_for(request.user)
    elif request.method == "POST":
        raise Http404
    return render(request, "engage/backoffice/messages.html", {
        **_nav(request), "section": "messages", "rows": rows, "conversation": conversation, "other": other,
        "thread_messages": thread_messages, "unread_ids": unread_ids, "form": form,
        "messages_left": selectors.messages_left_before_reply(sender=request.user, recipient=other, conversation=conversation)
        if conversation else None,
    }, status=status)
