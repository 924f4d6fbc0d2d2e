"""Operators' view of the pool, the gate's rules and the shops. Source credentials never appear here."""
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_display import YuanAdminMixin
from core.money import bp_to_percent, fen_to_yuan

from . import gate
from .models import BannedCategory, Category, GateThreshold, Product, Shop, ShopProduct, ShopProductImage, Sku
from .services import product_gate_recheck, shop_product_catalog_sync
from .services.banned import banned_rule_enforce, banned_rule_impact, banned_rule_products
from .services.shops import (
    shop_product_alliance_unlist,
    shop_product_public_id,
    shop_product_publish,
    shop_product_unpublish,
)


@admin.register(Product)
class ProductAdmin(YuanAdminMixin, admin.ModelAdmin):
    list_display = ["title", "source", "price", "commission", "sales_volume", "gate_passed", "available",
                    "promotable", "is_recommended", "category", "last_synced_at"]
    list_filter = ["source", "gate_passed", "available", "promotable", "is_recommended", "category"]
    search_fields = ["title", "=external_id", "shop_name"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["recheck_gate"]
    readonly_fields = ["gate_result", "price", "commission"]
    fieldsets = [
        (None, {"fields": ["source", "external_id", "title", "image_urls", "item_url", "category", "category_id"]}),
        (_("Quality gate"), {"fields": ["gate_passed", "gate_result", "gate_checked_at"]}),
        (_("Price and commission"), {"fields": ["price", "price_fen", "original_price_fen", "coupon_fen", "commission",
                                                "commission_rate_bp", "sales_volume", "available", "promotable",
                                                "is_recommended"]}),
        (_("Shop"), {"fields": ["shop_external_id", "shop_name", "shop_type", "shop_credit_level", "shop_score",
                                ("shop_dsr_description", "industry_dsr_description", "shop_grade_description"),
                                ("shop_dsr_service", "industry_dsr_service", "shop_grade_service"),
                                ("shop_dsr_logistics", "industry_dsr_logistics", "shop_grade_logistics")]}),
        (_("Sync"), {"fields": ["last_synced_at", "content_hash", "search_tokens", "shop_product"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Every value comes from its source (or the shop's back office); the next sync would undo edits.
        return [f.name for f in Product._meta.fields] + list(self.readonly_fields)

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("price"), ordering="price_fen")
    def price(self, obj):
        return f"¥{fen_to_yuan(obj.price_fen)}"

    @admin.display(description=_("commission rate"), ordering="commission_rate_bp")
    def commission(self, obj):
        return bp_to_percent(obj.commission_rate_bp)

    @admin.display(description=_("gate result"))
    def gate_result(self, obj):
        if obj.gate_passed:
            return _("Passed")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>",
                                                           ((m,) for m in gate.failure_messages(obj.gate_failures))))

    @admin.action(description=_("Re-run the quality gate on the selected products"))
    def recheck_gate(self, request, queryset):
        changed = product_gate_recheck(product_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, ngettext("%(n)d product re-checked.", "%(n)d products re-checked.", changed)
                          % {"n": changed}, messages.SUCCESS)


class RecheckOnSaveMixin:
    """A rule change applies to stored products at once (the sync would also re-check them)."""

    def _recheck(self, request, source):
        changed = product_gate_recheck(source=source)
        self.message_user(request, ngettext("%(n)d product re-checked against the new rules.",
                                            "%(n)d products re-checked against the new rules.", changed)
                          % {"n": changed}, messages.INFO)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._recheck(request, obj.source)

    def delete_model(self, request, obj):
        source = obj.source
        super().delete_model(request, obj)
        self._recheck(request, source)

    def delete_queryset(self, request, queryset):
        sources = set(queryset.values_list("source", flat=True))
        super().delete_queryset(request, queryset)
        for source in sources:
            self._recheck(request, source)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """The sources' category trees (pulled by ``manage.py sync_categories``; read-only here)."""

    list_display = ["path_names", "source", "source_category_id", "level", "is_leaf", "synced_at"]
    list_filter = ["source", "level", "is_leaf"]
    search_fields = ["name", "path_names", "=source_category_id"]
    readonly_fields = ["source", "source_category_id", "name", "parent", "level", "is_leaf", "path_ids",
                       "path_names", "synced_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BannedCategory)
class BannedCategoryAdmin(RecheckOnSaveMixin, admin.ModelAdmin):
    list_display = ["rule_name", "source", "node", "category_name", "category_id", "active", "updated_at"]
    list_filter = ["source", "active"]
    list_editable = ["active"]
    search_fields = ["rule_name", "category_name", "=category_id", "node__path_names"]
    autocomplete_fields = ["node"]
    fields = ["rule_name", "source", "node", "category_name", "category_id", "active"]
    actions = ["preview_removals", "enforce_removals"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.active:
            self._preview(request, obj, hint=True)

    def _preview(self, request, rule, *, hint=False):
        products = {p.pk: p for p in banned_rule_products(rule=rule)}
        placements = banned_rule_impact(rule=rule)
        handles = {u.pk: u.handle for u in get_user_model().objects.filter(
            pk__in={p.creator_id for p in placements[:20]}).only("pk", "handle")}
        shown = "; ".join(
            f"@{handles.get(p.creator_id, p.creator_id)} · {p.label or p.where} · "
            f"{products[p.product_id].title if p.product_id in products else ''} (#{p.product_id})"
            for p in placements[:20])
        text = _("%(rule)s: %(products)d products refused, %(placements)d placements would be removed. "
                 "%(shown)s") % {"rule": rule.rule_name, "products": len(products), "placements": len(placements),
                                 "shown": shown}
        if hint and placements:
            text = f"{text} " + str(_("Nothing was taken down yet: select the rule and run “Remove those items now "
                                      "and message each creator” to apply it."))
        self.message_user(request, text, messages.WARNING if placements else messages.INFO)

    @admin.action(description=_("Preview the showcase items these rules would remove"))
    def preview_removals(self, request, queryset):
        for rule in queryset:
            self._preview(request, rule)

    @admin.action(description=_("Remove those items now and message each creator"))
    def enforce_removals(self, request, queryset):
        for rule in queryset:
            placements = banned_rule_enforce(rule=rule)
            creators = len({p.creator_id for p in placements})
            self.message_user(request, _("%(rule)s: %(placements)d placements removed; %(creators)d creators "
                                         "messaged by the commerce assistant.") % {
                "rule": rule.rule_name, "placements": len(placements), "creators": creators}, messages.SUCCESS)


@admin.register(GateThreshold)
class GateThresholdAdmin(RecheckOnSaveMixin, admin.ModelAdmin):
    list_display = ["source", "active", "credit_level_above", "dsr_above_average", "dsr_min_rank",
                    "shop_score_above", "dsr_min_score", "updated_at"]
    list_filter = ["active"]


class SkuInline(YuanAdminMixin, admin.TabularInline):
    model = Sku
    fields = ["name", "price_fen", "stock", "is_active", "position"]
    # Price and stock belong to the merchant (E后台); operators never edit them here (issue 12 §6).
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ImageInline(admin.TabularInline):
    model = ShopProductImage
    fields = ["image", "position"]
    extra = 0


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "category", "contact_name", "is_active", "created_at"]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "owner__handle", "owner__nickname"]
    raw_id_fields = ["owner"]


@admin.register(ShopProduct)
class ShopProductAdmin(admin.ModelAdmin):
    list_display = ["title", "shop", "public_id", "status", "alliance_rate", "sales_volume", "created_at"]
    list_filter = ["status", "category", ("alliance_rate_bp", admin.EmptyFieldListFilter)]
    search_fields = ["title", "=public_id", "shop__name"]
    # Status and the alliance rate change only through the actions below (issue 12 §6).
    readonly_fields = ["public_id", "status", "alliance_rate_bp", "alliance_listed_at", "created_at", "updated_at"]
    raw_id_fields = ["shop"]
    inlines = [SkuInline, ImageInline]
    date_hierarchy = "created_at"
    actions = ["publish_selected", "unpublish_selected", "alliance_unlist_selected"]

    def _each(self, request, queryset, call, message):
        from core.errors import DomainError

        done = 0
        for product in queryset.order_by("pk"):
            try:
                call(product=product)
            except DomainError as exc:
                self.message_user(request, f"{product}: {exc.message}", messages.ERROR)
                continue
            done += 1
            product.refresh_from_db()
            self.log_change(request, product, f"{message}: {product.get_status_display()}")
        if done:
            self.message_user(request, ngettext("%(n)d product changed.", "%(n)d products changed.", done)
                              % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Put on sale"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self._each(request, queryset, shop_product_publish, "published")

    @admin.action(description=_("Take off sale"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        self._each(request, queryset, shop_product_unpublish, "unpublished")

    @admin.action(description=_("Withdraw from the Selected Alliance"), permissions=["change"])
    def alliance_unlist_selected(self, request, queryset):
        self._each(request, queryset.filter(alliance_rate_bp__isnull=False), shop_product_alliance_unlist,
                   "alliance unlisted")

    @admin.display(description=_("Selected Alliance"), ordering="alliance_rate_bp")
    def alliance_rate(self, obj):
        return bp_to_percent(obj.alliance_rate_bp) if obj.alliance_rate_bp is not None else "–"

    def save_model(self, request, obj, form, change):
        if not obj.public_id:
            obj.public_id = shop_product_public_id()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Price, stock and status edited here reach the pool the same way as from the back office.
        shop_product_catalog_sync(shop_product=form.instance)
