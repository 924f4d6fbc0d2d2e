from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Click


@admin.register(Click)
class ClickAdmin(admin.ModelAdmin):
    """Clicks are evidence for attribution: operators read them, nobody edits them."""

    list_display = ("id", "created_at", "channel", "creator", "product", "video", "live", "shopper", "short_visitor")
    list_filter = ("channel", ("created_at", admin.DateFieldListFilter), "product__source")
    search_fields = ("=id", "creator__handle", "shopper__handle", "=visitor_key", "product__title",
                     "=product__external_id")
    list_select_related = ("creator", "product", "video", "live", "shopper")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Click._meta.fields]
    show_full_result_count = False

    @admin.display(description=_("visitor"))
    def short_visitor(self, obj):
        return obj.visitor_key[:8]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
