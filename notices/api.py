"""Inbox API: a user's own messages, conversations and read marks."""
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.query import query_bool

from .models import InboxMessage
from .selectors import conversations_for
from .services import messages_mark_read


class InboxSenderSerializer(serializers.Serializer):
    handle = serializers.CharField()
    nickname = serializers.CharField()


class InboxMessageSerializer(serializers.ModelSerializer):
    sender = InboxSenderSerializer(read_only=True)
    title = serializers.CharField(source="display_title", read_only=True)
    body = serializers.CharField(source="display_body", read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = InboxMessage
        fields = ["id", "sender", "kind", "title", "body", "link", "is_read", "read_at", "created_at"]
        read_only_fields = fields


class MessageListApi(generics.ListAPIView):
    """Your inbox messages, newest first; ``?sender=<handle>`` for one conversation, ``?unread=1``."""

    permission_classes = [IsAuthenticated]
    serializer_class = InboxMessageSerializer

    @extend_schema(parameters=[OpenApiParameter("sender", str), OpenApiParameter("unread", bool)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = InboxMessage.objects.filter(recipient=self.request.user).select_related("sender")
        sender = self.request.query_params.get("sender")
        if sender:
            qs = qs.filter(sender__handle=sender)
        if query_bool(self.request.query_params, "unread"):
            qs = qs.filter(read_at__isnull=True)
        return qs


class MessageReadApi(APIView):
    """Mark one of your messages read. Someone else's message is 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=InboxMessageSerializer)
    def post(self, request, pk):
        message = get_object_or_404(InboxMessage, pk=pk, recipient=request.user)
        messages_mark_read(recipient=request.user, message_ids=[message.pk])
        message.refresh_from_db()
        return Response(InboxMessageSerializer(message).data)


class InboxConversationSerializer(serializers.Serializer):
    sender = InboxSenderSerializer()
    unread = serializers.IntegerField()
    total = serializers.IntegerField()
    last_message = InboxMessageSerializer(allow_null=True)


class ConversationListApi(APIView):
    """Your conversations with the official accounts, with unread counts."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=InboxConversationSerializer(many=True))
    def get(self, request):
        return Response(InboxConversationSerializer(conversations_for(request.user), many=True).data)


class ConversationReadApi(APIView):
    """Mark every message from one official account read."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}))
    def post(self, request, handle):
        sender = get_object_or_404(get_user_model(), handle=handle, is_official=True)
        return Response({"marked": messages_mark_read(recipient=request.user, sender=sender)})
