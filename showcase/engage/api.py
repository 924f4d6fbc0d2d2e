"""Engage API: the feed, comments, comment moderation (E后台) and private messages.

Thin views: validate, call one service or selector, serialize. Querysets are filtered by
the requesting user; a comment on someone else's video or a conversation you are not in
is a 404, never a 403 that would confirm it exists.
"""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import InvalidInput, NotFound
from core.query import query_bool, query_int
from creators.models import User
from showcase import selectors as showcase_selectors
from showcase.tracking import visitor_id

from . import selectors, services
from . import serializers as s
from .access import require_backoffice
from .stats import video_seen


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _video(request, video_id):
    video = selectors.video_for_viewer(video_id=video_id, viewer=request.user)
    if video is None:
        raise Http404
    return video


class FeedApi(APIView):
    """One page of the home feed; pass ``next_cursor`` back as ``cursor`` for the next."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("cursor", str, required=False)], responses=s.FeedPageSerializer)
    def get(self, request):
        page = selectors.feed_page(viewer=request.user, cursor=request.query_params.get("cursor", "")[:200])
        return Response({"results": s.FeedSlideSerializer(page.slides, many=True).data,
                         "next_cursor": page.next_cursor})


class VideoSeenApi(APIView):
    """The feed reports a slide that came into view: a view of the video and an impression of
    each product it shows, for the data dashboard."""

    permission_classes = [AllowAny]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, video_id):
        video = _video(request, video_id)
        ids = [video.pk]
        products = showcase_selectors.video_cart_products(video_ids=ids)[video.pk]
        products += showcase_selectors.video_seeding_tags(video_ids=ids)[video.pk]
        video_seen(video, product_ids=[p.pk for p in products], visitor=visitor_id(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentPagination(PageNumberPagination):
    page_size = selectors.COMMENTS_PAGE_SIZE


class VideoCommentsApi(generics.ListAPIView):
    """A video's comment area: visible top-level comments (pinned first) with their replies.
    POST a comment or a reply (``parent``) — login required."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = s.CommentSerializer
    pagination_class = CommentPagination

    def get_queryset(self):
        self.video = _video(self.request, self.kwargs["video_id"])
        return selectors.comment_threads(video=self.video)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["owner_id"] = getattr(getattr(self, "video", None), "owner_id", None)
        return context

    @extend_schema(request=s.CommentInput, responses={201: s.CommentSerializer})
    def post(self, request, video_id):
        video = _video(request, video_id)
        data = _valid(s.CommentInput, request)
        comment = services.comment_post(video_id=video.pk, author=request.user, body=data["body"],
                                        parent_id=data.get("parent"))
        return Response(s.CommentSerializer(comment, context={"owner_id": video.owner_id}).data,
                        status=status.HTTP_201_CREATED)


class CommentApi(APIView):
    """Delete a comment: your own, or any on your videos."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request, comment_id):
        services.comment_delete(actor=request.user, comment_id=comment_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- E后台: the creator's comments -------------------------------------------------------------

class BackofficeMixin:
    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_backoffice(request.user)


class OwnerCommentsApi(BackofficeMixin, generics.ListAPIView):
    """Comments on your videos, newest first; filter by ``video``, ``mentions_product``
    (true/false) and ``status`` (visible/hidden)."""

    serializer_class = s.OwnerCommentSerializer

    @extend_schema(parameters=[OpenApiParameter("video", int, required=False),
                               OpenApiParameter("mentions_product", bool, required=False),
                               OpenApiParameter("status", str, required=False, enum=["visible", "hidden"])])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        video = query_int(params, "video")
        mentions = query_bool(params, "mentions_product")
        status_ = params.get("status", "")
        if status_ not in ("", "visible", "hidden"):
            raise InvalidInput(_("Use visible or hidden."), field="status")
        return selectors.owner_comments(
            owner=self.request.user, video_id=video, mentions_product=mentions,
            status=status_,
        )


class OwnerCommentActionApi(BackofficeMixin, APIView):
    """Pin (置顶), unpin, hide, unhide a comment on your video, or reply to it as the creator."""

    ACTIONS = {"pin": services.comment_pin, "unpin": services.comment_unpin,
               "hide": services.comment_hide, "unhide": services.comment_unhide}

    @extend_schema(request=s.ReplyInput, responses={200: s.OwnerCommentSerializer, 201: s.OwnerCommentSerializer})
    def post(self, request, comment_id, action):
        if action == "reply":
            comment = get_object_or_404(selectors.owner_comments(owner=request.user), pk=comment_id)
            reply = services.comment_post(video_id=comment.video_id, author=request.user,
                                          body=_valid(s.ReplyInput, request)["body"], parent_id=comment.pk)
            return Response(s.OwnerCommentSerializer(reply).data, status=status.HTTP_201_CREATED)
        if action not in self.ACTIONS:
            raise Http404
        comment = self.ACTIONS[action](owner=request.user, comment_id=comment_id)
        return Response(s.OwnerCommentSerializer(comment).data)


# --- private messages -------------------------------------------------------------------------

class ConversationsApi(APIView):
    """Your private conversations, latest first, with unread counts. POST starts or continues
    one: ``{"to": "<Douyin number>", "body": "..."}``."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.ConversationListSerializer)
    def get(self, request):
        rows = selectors.conversations_for(request.user)
        return Response({"unread": sum(r.unread for r in rows),
                         "results": s.ConversationSerializer(rows, many=True).data})

    @extend_schema(request=s.NewMessageInput, responses={201: s.MessageSerializer})
    def post(self, request):
        data = _valid(s.NewMessageInput, request)
        recipient = User.objects.filter(handle=data["to"], is_active=True).first()
        if recipient is None:
            raise NotFound(_("No such user."), field="to")
        message = services.private_message_send(sender=request.user, recipient=recipient, body=data["body"])
        return Response(s.MessageSerializer(message, context={"request": request}).data, status=status.HTTP_201_CREATED)


def _conversation(request, conversation_id):
    conversation = selectors.conversation_of(user=request.user, conversation_id=conversation_id)
    if conversation is None:
        raise Http404
    return conversation


class ConversationMessagesApi(APIView):
    """The latest messages of one of your conversations (oldest first); POST replies."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="messages_conversation_messages", responses=s.MessageSerializer(many=True))
    def get(self, request, conversation_id):
        conversation = _conversation(request, conversation_id)
        return Response(s.MessageSerializer(selectors.thread_messages(conversation), many=True,
                                            context={"request": request}).data)

    @extend_schema(operation_id="messages_conversation_reply", request=s.MessageInput,
                   responses={201: s.MessageSerializer})
    def post(self, request, conversation_id):
        conversation = _conversation(request, conversation_id)
        other = conversation.user_high if conversation.user_low_id == request.user.pk else conversation.user_low
        message = services.private_message_send(sender=request.user, recipient=other,
                                                body=_valid(s.MessageInput, request)["body"])
        return Response(s.MessageSerializer(message, context={"request": request}).data, status=status.HTTP_201_CREATED)


class ConversationReadApi(APIView):
    """Mark what you received in a conversation read."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=s.ConversationMarkedReadSerializer)
    def post(self, request, conversation_id):
        conversation = _conversation(request, conversation_id)
        return Response({"marked_read": services.conversation_mark_read(user=request.user, conversation=conversation)})
