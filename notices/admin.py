from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import InboxMessage


@admin.register(InboxMessage)
class InboxMessageAdmin(admin.ModelAdmin):
    list_display = ["shown_title", "recipient", "sender", "kind", "created_at", "read_at"]
    list_filter = ["sender", "kind", ("read_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["recipient__handle", "recipient__nickname", "title", "kind"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["created_at", "read_at", "shown_title", "shown_body"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient", "sender"]

    @admin.display(description=_("title"))
    def shown_title(self, obj):
        return obj.display_title

    @admin.display(description=_("body as shown"))
    def shown_body(self, obj):
        return obj.display_body
