"""Announcements API: the list with your read state and unread count, and marking one read."""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.query import query_bool

from .models import Announcement
from .selectors import announcement_unread_count, announcements_for
from .services import announcement_mark_read


class AnnouncementSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Announcement
        fields = ["id", "title", "body", "kind", "pinned", "published_at", "link", "is_read"]
        read_only_fields = fields


class AnnouncementListApi(APIView):
    """Published announcements (pinned first), each with ``is_read``, and your unread count."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("pinned", bool)],
        responses=inline_serializer("AnnouncementList", {
            "unread": serializers.IntegerField(), "results": AnnouncementSerializer(many=True),
        }),
    )
    def get(self, request):
        qs = announcements_for(request.user)
        if query_bool(request.query_params, "pinned"):
            qs = qs.filter(pinned=True)
        return Response({"unread": announcement_unread_count(request.user),
                         "results": AnnouncementSerializer(qs, many=True).data})


class AnnouncementReadApi(APIView):
    """Mark one announcement read (idempotent)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=inline_serializer("AnnouncementRead", {"unread": serializers.IntegerField()}))
    def post(self, request, pk: int):
        found = get_object_or_404(announcements_for(request.user), pk=pk)
        announcement_mark_read(user=request.user, announcement=found)
        return Response({"unread": announcement_unread_count(request.user)})
