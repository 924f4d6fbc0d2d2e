"""API shapes of the engage app. Inputs list what a client may send; outputs are read-only
and never take status, pins, flags, authors or read marks from the client."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .links import seeding_url
from .models import COMMENT_MAX_CHARS, MESSAGE_MAX_CHARS, Comment, PrivateMessage


class PersonSerializer(serializers.Serializer):
    handle = serializers.CharField(read_only=True)
    nickname = serializers.CharField(source="display_name", read_only=True)
    avatar = serializers.SerializerMethodField()

    def get_avatar(self, user) -> str:
        return user.avatar.url if user.avatar else ""


class ProductLinkSerializer(serializers.Serializer):
    """A product on a video, with its attributed seeding page link."""

    id = serializers.IntegerField(source="pk", read_only=True)
    title = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)
    price_fen = serializers.IntegerField(read_only=True)
    image_url = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, product) -> str:
        return seeding_url(product.pk, self.context["video"], self.context.get("channel", "video"))


class FeedSlideSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="video.pk", read_only=True)
    title = serializers.CharField(source="video.title", read_only=True)
    video_url = serializers.SerializerMethodField()
    cover_url = serializers.SerializerMethodField()
    creator = PersonSerializer(read_only=True)
    following = serializers.BooleanField(read_only=True)
    comment_count = serializers.IntegerField(read_only=True)
    has_cart = serializers.SerializerMethodField()
    cart_products = serializers.SerializerMethodField()
    seeding_tags = serializers.SerializerMethodField()

    def get_video_url(self, slide) -> str:
        return slide.video.video_file.url

    def get_cover_url(self, slide) -> str:
        return slide.video.cover.url if slide.video.cover else ""

    def get_has_cart(self, slide) -> bool:
        return bool(slide.cart_products)

    def _products(self, slide, products) -> list:
        return ProductLinkSerializer(products, many=True, context={"video": slide.video, "channel": "video"}).data

    @extend_schema_field(ProductLinkSerializer(many=True))
    def get_cart_products(self, slide) -> list:
        return self._products(slide, slide.cart_products)

    @extend_schema_field(ProductLinkSerializer(many=True))
    def get_seeding_tags(self, slide) -> list:
        return self._products(slide, slide.seeding_products)


class FeedPageSerializer(serializers.Serializer):
    results = FeedSlideSerializer(many=True)
    next_cursor = serializers.CharField(allow_blank=True, help_text="Send back as ``cursor`` for the next page; "
                                                                    "empty at the end of the feed.")


class ReplySerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)
    reply_to = PersonSerializer(read_only=True, allow_null=True, help_text="Whom the reply answers, if anyone.")

    class Meta:
        model = Comment
        fields = ["id", "author", "reply_to", "body", "created_at"]
        read_only_fields = fields


class CommentSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)
    replies = serializers.SerializerMethodField()
    by_creator = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "video", "author", "body", "is_pinned", "by_creator", "created_at", "replies"]
        read_only_fields = fields

    @extend_schema_field(ReplySerializer(many=True))
    def get_replies(self, comment) -> list:
        return ReplySerializer(getattr(comment, "visible_replies", []), many=True).data

    def get_by_creator(self, comment) -> bool:
        return comment.author_id == self.context.get("owner_id")


class CommentInput(serializers.Serializer):
    body = serializers.CharField(min_length=1, max_length=COMMENT_MAX_CHARS, trim_whitespace=True)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class ReplyInput(serializers.Serializer):
    body = serializers.CharField(min_length=1, max_length=COMMENT_MAX_CHARS, trim_whitespace=True)


class OwnerCommentSerializer(serializers.ModelSerializer):
    """A comment as its video's creator manages it in E后台."""

    author = PersonSerializer(read_only=True)
    reply_to = PersonSerializer(read_only=True, allow_null=True, help_text="Whom a reply answers; null on a "
                                                                          "top-level comment.")
    video_title = serializers.CharField(source="video.title", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "video", "video_title", "parent", "author", "reply_to", "body", "status", "is_pinned",
                  "mentions_product", "created_at", "moderated_at"]
        read_only_fields = fields


class MessageSerializer(serializers.ModelSerializer):
    sender = serializers.CharField(source="sender.handle", read_only=True)
    mine = serializers.SerializerMethodField()

    class Meta:
        model = PrivateMessage
        fields = ["id", "conversation", "sender", "mine", "body", "created_at", "read_at"]
        read_only_fields = fields

    def get_mine(self, message) -> bool:
        return message.sender_id == self.context["request"].user.pk


class ConversationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="conversation.pk", read_only=True)
    other = PersonSerializer(read_only=True)
    last_message = serializers.CharField(source="last_body", read_only=True)
    last_message_at = serializers.DateTimeField(source="last_at", read_only=True)
    unread = serializers.IntegerField(read_only=True)


class ConversationListSerializer(serializers.Serializer):
    unread = serializers.IntegerField(help_text="Unread messages over all your conversations.")
    results = ConversationSerializer(many=True)


class ConversationMarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many messages became read.")


class MessageInput(serializers.Serializer):
    body = serializers.CharField(min_length=1, max_length=MESSAGE_MAX_CHARS, trim_whitespace=True)


class NewMessageInput(MessageInput):
    to = serializers.CharField(min_length=2, max_length=32, help_text="The recipient's Douyin number.")
