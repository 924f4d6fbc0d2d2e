from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Announcement, Course, InboxMessage, Lesson, Quiz, QuizAttempt, QuizChoice, QuizQuestion
from .services import course_publish


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


# --- Academy and announcements --------------------------------------------------------------

class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 1
    fields = ["order", "title", "minutes", "is_published", "body"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "is_published", "published_at", "order", "notified_at", "lesson_total"]
    list_filter = ["category", "is_published"]
    list_editable = ["order"]
    search_fields = ["title", "summary"]
    readonly_fields = ["notified_at", "created_at", "updated_at"]
    inlines = [LessonInline]
    actions = ["publish_and_notify", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "category", "summary", "body", "cover", "order"]}),
        (_("Publishing"), {"fields": ["is_published", "published_at", "notified_at", "created_at", "updated_at"],
                           "description": _("Publishing a course once makes the commerce assistant announce it to "
                                            "creators.")}),
    ]

    @admin.display(description=_("lessons"))
    def lesson_total(self, obj):
        return obj.lessons.count()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_published:
            course_publish(course=obj)

    @admin.action(description=_("Publish and announce to creators"))
    def publish_and_notify(self, request, queryset):
        with transaction.atomic():
            for course in queryset.order_by("pk"):
                course_publish(course=course)
                self.log_change(request, course, "published and announced")
        count = queryset.count()
        self.message_user(request, ngettext("%(n)d course published.", "%(n)d courses published.", count)
                          % {"n": count}, messages.SUCCESS)

    @admin.action(description=_("Unpublish"))
    def unpublish(self, request, queryset):
        for course in queryset.filter(is_published=True).order_by("pk"):
            course.is_published = False
            course.save(update_fields=["is_published", "updated_at"])
            self.log_change(request, course, "unpublished")


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "audience_right", "pinned", "published_at", "unpublish_at", "readers"]
    list_filter = ["kind", "audience_right", "pinned", ("published_at", admin.EmptyFieldListFilter),
                   ("unpublish_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "body"]
    actions = ["publish_now", "pin", "unpin"]
    date_hierarchy = "published_at"

    @admin.display(description=_("read by"))
    def readers(self, obj):
        return obj.reads.count()

    def _change_each(self, request, queryset, message, **values):
        """Change each announcement and write the admin history (LogEntry) saying what changed."""
        for announcement in queryset.order_by("pk"):
            for name, value in values.items():
                setattr(announcement, name, value)
            announcement.save(update_fields=[*values, "updated_at"])
            self.log_change(request, announcement, message)

    @admin.action(description=_("Publish now"))
    def publish_now(self, request, queryset):
        self._change_each(request, queryset.filter(published_at__isnull=True), "published",
                          published_at=timezone.now())

    @admin.action(description=_("Pin to the top of the creator center"))
    def pin(self, request, queryset):
        self._change_each(request, queryset.filter(pinned=False), "pinned", pinned=True)

    @admin.action(description=_("Unpin"))
    def unpin(self, request, queryset):
        self._change_each(request, queryset.filter(pinned=True), "unpinned", pinned=False)


# --- Academy quizzes -------------------------------------------------------------------------

class QuizQuestionInline(admin.StackedInline):
    model = QuizQuestion
    extra = 1
    fields = ["order", "text", "points"]
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "pass_score", "restores_points", "is_published", "passed_total"]
    list_filter = ["is_published", "course"]
    search_fields = ["title"]
    inlines = [QuizQuestionInline]

    @admin.display(description=_("passed by"))
    def passed_total(self, obj):
        return obj.attempts.filter(passed=True).count()


class QuizChoiceInline(admin.TabularInline):
    model = QuizChoice
    extra = 3
    fields = ["text", "is_correct"]


@admin.register(QuizQuestion)
class QuizQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "quiz", "points", "order"]
    list_filter = ["quiz"]
    search_fields = ["text"]
    inlines = [QuizChoiceInline]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(admin.ModelAdmin):
    list_display = ["quiz", "user", "score", "passed", "created_at"]
    list_filter = ["passed", "quiz"]
    search_fields = ["user__handle", "user__nickname"]
    date_hierarchy = "created_at"
    fields = ["quiz", "user", "score", "passed", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
