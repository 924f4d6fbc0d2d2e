"""Operators watch sync jobs here (read-only progress) and resume or cancel them."""
from django.contrib import admin, messages
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.money import bp_to_percent, fen_to_yuan

from .models import OrderReport, SyncCheckpoint, SyncJob, SyncJobPart
from .services import sync_job_cancel, sync_job_resume
from .services.parts import part_title


class SyncJobPartInline(admin.TabularInline):
    model = SyncJobPart
    fields = ["number", "covers", "seen", "written", "stored_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-number"]
    verbose_name_plural = _("stored parts (latest first)")

    @admin.display(description=_("covers"))
    def covers(self, obj):
        return part_title(obj.job, obj.number)

    def get_queryset(self, request):
        # A big job has a thousand parts; the latest ones say where it is.
        qs = super().get_queryset(request)
        ids = list(qs.order_by("-number").values_list("pk", flat=True)[:50])
        return qs.filter(pk__in=ids).select_related("job")


@admin.register(SyncJob)
class SyncJobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "source", "status", "progress", "created_count", "updated_count",
                    "unchanged_count", "gone_count", "retries", "started_at", "finished_at"]
    list_filter = ["status", "kind", "source"]
    list_display_links = ["id", "kind"]
    date_hierarchy = "created_at"
    actions = ["resume", "cancel"]
    inlines = [SyncJobPartInline]
    fieldsets = [
        (None, {"fields": ["kind", "source", "status", "progress", "checkpoint", "position"]}),
        (_("Counts"), {"fields": ["total", "done", "created_count", "updated_count", "unchanged_count",
                                  "gone_count", "skipped_count", "retries"]}),
        (_("Times"), {"fields": ["created_at", "started_at", "heartbeat_at", "resumed_at", "finished_at"]}),
        (_("Errors and parameters"), {"fields": ["last_error", "parameters"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Everything here is the job's own record of what it did.
        return [f.name for f in SyncJob._meta.fields] + ["progress", "checkpoint", "parameters"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a job's record is its own; operators resume or cancel it with the actions

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("progress"), ordering="done")
    def progress(self, obj):
        percent = 100 * obj.done // obj.total if obj.total else 100
        return format_html('<progress value="{}" max="{}" style="width:8em"></progress> {}/{} ({}%)',
                           obj.done, obj.total or 1, obj.done, obj.total, percent)

    @admin.display(description=_("checkpoint"))
    def checkpoint(self, obj):
        stored_up_to = obj.position.get("checkpoint")
        if stored_up_to:
            moment = timezone.localtime(parse_datetime(stored_up_to))
            return gettext("order reports stored up to %(time)s") % {"time": formats.localize(moment)}
        if "part" in obj.position:
            return gettext("last stored: %(part)s") % {"part": part_title(obj, obj.position["part"])}
        return "—"

    @admin.display(description=_("parameters"))
    def parameters(self, obj):
        # Product refresh jobs carry hundreds of id ranges: show their count, not the list.
        shown = {k: (gettext("%(n)d id ranges") % {"n": len(v)} if k == "bounds" else v)
                 for k, v in obj.params.items()}
        return ", ".join(f"{k}={v}" for k, v in shown.items()) or "—"

    @admin.action(description=_("Resume the selected jobs (queue their missing parts)"))
    def resume(self, request, queryset):
        queued = 0
        for job in queryset:
            try:
                queued += sync_job_resume(job_id=job.pk)
            except DomainError as exc:
                self.message_user(request, f"#{job.pk}: {exc.message}", messages.WARNING)
        self.message_user(request, ngettext("%(n)d part queued.", "%(n)d parts queued.", queued) % {"n": queued})

    @admin.action(description=_("Cancel the selected jobs"))
    def cancel(self, request, queryset):
        cancelled = 0
        for job in queryset:
            try:
                sync_job_cancel(job_id=job.pk)
                cancelled += 1
            except DomainError as exc:
                self.message_user(request, f"#{job.pk}: {exc.message}", messages.WARNING)
        self.message_user(request, ngettext("%(n)d job cancelled.", "%(n)d jobs cancelled.", cancelled)
                          % {"n": cancelled})


@admin.register(SyncCheckpoint)
class SyncCheckpointAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "position", "job", "updated_at"]
    list_filter = ["source", "kind"]
    readonly_fields = ["source", "kind", "position", "job", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OrderReport)
class OrderReportAdmin(admin.ModelAdmin):
    list_display = ["order_id", "line_id", "source", "status", "paid_amount", "commission_rate",
                    "estimated_commission", "settled_commission", "click_id", "source_updated_at",
                    "handoff_pending"]
    list_filter = ["source", "status", "handoff_pending"]
    search_fields = ["=order_id", "=line_id", "=click_id", "=product_external_id"]
    date_hierarchy = "ordered_at"
    list_per_page = 50
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        # The source's word: the next pull would undo any edit.
        return [f.name for f in OrderReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("paid amount"), ordering="paid_amount_fen")
    def paid_amount(self, obj):
        return f"¥{fen_to_yuan(obj.paid_amount_fen)}"

    @admin.display(description=_("commission rate"), ordering="commission_rate_bp")
    def commission_rate(self, obj):
        return bp_to_percent(obj.commission_rate_bp)

    @admin.display(description=_("estimated commission"), ordering="estimated_commission_fen")
    def estimated_commission(self, obj):
        return f"¥{fen_to_yuan(obj.estimated_commission_fen)}"

    @admin.display(description=_("settled commission"), ordering="settled_commission_fen")
    def settled_commission(self, obj):
        return f"¥{fen_to_yuan(obj.settled_commission_fen)}"
