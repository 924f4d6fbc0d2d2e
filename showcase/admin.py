"""Operators' view of showcases, video carts and live sessions. Changes go through the services
(remove a product, end a live session); positions and "now explaining" are the creator's to set."""
from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.errors import DomainError

from . import services
from .models import LiveProduct, LiveSession, Showcase, ShowcaseCategory, ShowcaseItem, VideoProduct


class ShowcaseCategoryInline(admin.TabularInline):
    model = ShowcaseCategory
    extra = 0
    fields = ("name", "position")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Showcase)
class ShowcaseAdmin(admin.ModelAdmin):
    list_display = ("owner", "product_count", "updated_at")
    search_fields = ("owner__handle", "owner__nickname")
    raw_id_fields = ("owner",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [ShowcaseCategoryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner").annotate(n=Count("items"))

    @admin.display(description=_("products"), ordering="n")
    def product_count(self, obj):
        return obj.n


@admin.register(ShowcaseItem)
class ShowcaseItemAdmin(admin.ModelAdmin):
    list_display = ("product", "showcase", "category", "is_recommended", "is_new", "position", "added_at")
    list_filter = ("is_recommended", "is_new", "product__source")
    search_fields = ("showcase__owner__handle", "product__title", "=product__external_id")
    list_select_related = ("showcase__owner", "product", "category")
    raw_id_fields = ("showcase", "product", "category")
    readonly_fields = ("showcase", "product", "position", "added_at")
    actions = ["remove_items"]

    def has_add_permission(self, request):
        return False  # creators add products (the limits and the quality gate apply there)

    @admin.action(description=_("Remove from the showcase (and from a live cart)"))
    def remove_items(self, request, queryset):
        done = 0
        for item in queryset.select_related("showcase__owner"):
            try:
                services.showcase_item_remove(owner=item.showcase.owner, item_id=item.pk)
                done += 1
            except DomainError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)
        self.message_user(request, ngettext("%d product removed.", "%d products removed.", done) % done)


@admin.register(VideoProduct)
class VideoProductAdmin(admin.ModelAdmin):
    list_display = ("video", "product", "kind", "position", "added_at")
    list_filter = ("kind", "product__source")
    search_fields = ("video__title", "video__owner__handle", "product__title")
    list_select_related = ("video", "product")
    raw_id_fields = ("video", "product")
    readonly_fields = ("video", "product", "kind", "position", "added_at")
    actions = ["remove_links"]

    def has_add_permission(self, request):
        return False  # the 7-product limit is enforced where creators add

    @admin.action(description=_("Remove from the video"))
    def remove_links(self, request, queryset):
        done = 0
        for link in queryset.select_related("video__owner"):
            services.video_product_remove(owner=link.video.owner, video_id=link.video_id, product_id=link.product_id)
            done += 1
        self.message_user(request, ngettext("%d product removed.", "%d products removed.", done) % done)


class LiveProductInline(admin.TabularInline):
    model = LiveProduct
    extra = 0
    fields = ("product", "position", "explaining", "explaining_since")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    list_display = ("title", "host", "status", "started_at", "ended_at", "product_count")
    list_filter = ("status", ("started_at", admin.DateFieldListFilter))
    search_fields = ("title", "host__handle", "host__nickname")
    raw_id_fields = ("host",)
    readonly_fields = ("host", "status", "started_at", "ended_at")
    date_hierarchy = "started_at"
    inlines = [LiveProductInline]
    actions = ["end_sessions"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("host").annotate(n=Count("products"))

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("products"), ordering="n")
    def product_count(self, obj):
        return obj.n

    @admin.action(description=_("End the selected live sessions"))
    def end_sessions(self, request, queryset):
        done = 0
        for session in queryset.filter(status=LiveSession.Status.LIVE).select_related("host"):
            services.live_session_end(host=session.host, session_id=session.pk)
            done += 1
        self.message_user(request, ngettext("%d live session ended.", "%d live sessions ended.", done) % done)
