"""Operators' view of comments and private messages. Rows are written only by services:
comments are moderated through actions, private messages are read-only."""
from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.errors import DomainError

from . import services
from .models import Comment, CommentModeration, Conversation, PrivateMessage


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CommentModerationInline(ReadOnlyMixin, admin.TabularInline):
    model = CommentModeration
    extra = 0
    fields = ["created_at", "action", "actor"]
    readonly_fields = fields


def _set_status(modeladmin, request, queryset, status, done):
    changed = 0
    for comment in queryset.order_by("pk"):
        try:
            services.comment_operator_set_status(operator=request.user, comment_id=comment.pk, status=status)
            changed += 1
        except DomainError as e:
            modeladmin.message_user(request, f"#{comment.pk}: {e.message}", messages.ERROR)
    modeladmin.message_user(request, done(changed) % {"n": changed}, messages.SUCCESS)


@admin.register(Comment)
class CommentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "short_body", "video", "author", "status", "is_pinned", "mentions_product", "created_at"]
    list_filter = ["status", "is_pinned", "mentions_product", "created_at"]
    search_fields = ["body", "author__handle", "author__nickname", "video__title"]
    list_select_related = ["video", "author"]
    fields = ["video", "author", "parent", "reply_to", "body", "status", "is_pinned", "mentions_product",
              "created_at", "moderated_at", "moderated_by"]
    readonly_fields = fields
    inlines = [CommentModerationInline]
    actions = ["hide", "unhide", "delete_comments"]
    date_hierarchy = "created_at"

    @admin.display(description=_("text"))
    def short_body(self, obj):
        return obj.body[:60]

    @admin.action(description=_("Hide from shoppers"))
    def hide(self, request, queryset):
        _set_status(self, request, queryset, Comment.Status.HIDDEN,
                    lambda n: ngettext("%(n)d comment hidden.", "%(n)d comments hidden.", n))

    @admin.action(description=_("Show again"))
    def unhide(self, request, queryset):
        _set_status(self, request, queryset, Comment.Status.VISIBLE,
                    lambda n: ngettext("%(n)d comment shown again.", "%(n)d comments shown again.", n))

    @admin.action(description=_("Delete"))
    def delete_comments(self, request, queryset):
        _set_status(self, request, queryset, Comment.Status.DELETED,
                    lambda n: ngettext("%(n)d comment deleted.", "%(n)d comments deleted.", n))

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class PrivateMessageInline(ReadOnlyMixin, admin.TabularInline):
    model = PrivateMessage
    extra = 0
    fields = ["created_at", "sender", "recipient", "body", "read_at"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "user_low", "user_high", "last_message_at", "created_at"]
    search_fields = ["user_low__handle", "user_high__handle", "user_low__nickname", "user_high__nickname"]
    list_select_related = ["user_low", "user_high"]
    date_hierarchy = "last_message_at"
    fields = ["user_low", "user_high", "created_at", "last_message_at"]
    readonly_fields = fields
    inlines = [PrivateMessageInline]


@admin.register(PrivateMessage)
class PrivateMessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "sender", "recipient", "short_body", "created_at", "read_at"]
    list_filter = ["created_at", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["body", "sender__handle", "recipient__handle"]
    list_select_related = ["sender", "recipient"]
    fields = ["conversation", "sender", "recipient", "body", "created_at", "read_at"]
    readonly_fields = fields

    @admin.display(description=_("text"))
    def short_body(self, obj):
        return obj.body[:60]
