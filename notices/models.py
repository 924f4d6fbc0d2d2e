"""Inbox messages that official accounts (电商小助手, 购物助手, ...) send to users."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class OfficialKind(models.TextChoices):
    """The official accounts; each is a user with ``is_official`` and a fixed Douyin number."""

    COMMERCE_ASSISTANT = "commerce_assistant", _("Commerce assistant")
    SHOPPING_ASSISTANT = "shopping_assistant", _("Shopping assistant")


class InboxMessage(models.Model):
    """One message in a user's conversation with an official account.

    ``title``, ``body`` and the string ``params`` may be English msgids (marked with
    ``gettext_noop``); they are translated and filled when shown, so each reader sees the
    message in their own language. Text not in the catalogue (an operator's reason, say)
    is shown as written.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="inbox_messages", verbose_name=_("recipient"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="sent_inbox_messages",
        limit_choices_to={"is_official": True}, verbose_name=_("official account"),
    )
    kind = models.CharField(_("kind"), max_length=50, help_text=_("What the message is about, e.g. cart_application.approved."))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    dedupe_key = models.CharField(
        _("deduplication key"), max_length=100, null=True, blank=True,
        help_text=_("The same key never creates a second message for the same recipient."),
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=Q(dedupe_key__isnull=False),
                name="inbox_message_once_per_key",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "sender", "read_at"], name="inbox_conversation_unread")]

    def __str__(self) -> str:
        return self.display_title

    def _render(self, text: str) -> str:
        if not text:
            return ""
        translated = gettext(text)
        if not self.params:
            return translated
        params = {k: gettext(v) if isinstance(v, str) and v else v for k, v in self.params.items()}
        try:
            return translated % params
        except (KeyError, ValueError, TypeError):
            return text

    @property
    def display_title(self) -> str:
        return self._render(self.title)

    @property
    def display_body(self) -> str:
        return self._render(self.body)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


# --- Academy (小店学院) and announcements (消息公告), admin-managed ---------------------------


class CourseCategory(models.TextChoices):
    BASICS = "basics", _("Basic features")
    OFFICIAL = "official", _("Official courses")
    ACTIVITY = "activity", _("Activities")
    MERCHANTS = "merchants", _("Merchant circle")


class Course(models.Model):
    """A course of the academy; its lessons are read in order on the course page."""

    title = models.CharField(_("title"), max_length=100)
    summary = models.CharField(pgettext_lazy("academy", "summary"), max_length=300)
    body = models.TextField(_("introduction"), blank=True)
    cover = models.ImageField(_("cover"), upload_to="academy/%Y/%m/", blank=True)
    category = models.CharField(pgettext_lazy("academy", "category"), max_length=16, choices=CourseCategory.choices)
    is_published = models.BooleanField(_("published"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0, help_text=_("Smaller numbers come first."))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    notified_at = models.DateTimeField(
        _("creators notified at"), null=True, blank=True,
        help_text=_("When the commerce assistant announced this course; it does so once."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("academy course")
        verbose_name_plural = _("academy courses")
        ordering = ["order", "-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    course = models.ForeignKey(Course, models.CASCADE, related_name="lessons", verbose_name=_("course"))
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("content"))
    minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=3)
    is_published = models.BooleanField(_("published"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class AnnouncementKind(models.TextChoices):
    ACTIVITY = "activity", _("Activity")
    COURSE = "course", _("New course")
    SURVEY = "survey", _("Survey")
    NOTICE = "notice", _("Notice")


class Announcement(models.Model):
    """A notice of the showcase (guide: 置顶位置和右上角的公告中心). Visible from
    ``published_at``; empty means draft."""

    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("body"))
    kind = models.CharField(_("kind"), max_length=16, choices=AnnouncementKind.choices, default=AnnouncementKind.NOTICE)
    pinned = models.BooleanField(_("pinned"), default=False,
                                 help_text=_("Pinned notices show at the top of the creator center."))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True,
                                        help_text=_("Empty: draft. A future time publishes it then."))
    link = models.CharField(_("link"), max_length=300, blank=True,
                            help_text=_("Where “Take part” leads: a page of this site or a survey."))
    unpublish_at = models.DateTimeField(_("unpublished at"), null=True, blank=True, db_index=True,
                                        help_text=_("Empty: stays up. From this time nobody sees it."))
    audience_right = models.CharField(
        _("audience"), max_length=16, blank=True, default="", choices=[
            ("", _("All creators")), ("showcase", _("Creators holding the showcase right")),
            ("video", _("Creators holding the video cart right")), ("live", _("Creators holding the live cart right")),
        ],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-pinned", "-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class AnnouncementRead(models.Model):
    announcement = models.ForeignKey(Announcement, models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="announcement_reads")
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement read")
        verbose_name_plural = _("announcement reads")
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="announcement_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.announcement_id}"


# --- Academy quizzes (小店学院测验): passing one gives credit points back ---------------------


class Quiz(models.Model):
    """A scored quiz of the academy. Passing it (score at least ``pass_score``) once gives
    ``restores_points`` credit points back, through the hook a higher app registers."""

    course = models.ForeignKey(Course, models.SET_NULL, null=True, blank=True, related_name="quizzes",
                               verbose_name=_("course"))
    title = models.CharField(_("title"), max_length=100)
    pass_score = models.PositiveSmallIntegerField(_("score to pass"))
    restores_points = models.PositiveSmallIntegerField(_("credit points given back"), default=1)
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("academy quiz")
        verbose_name_plural = _("academy quizzes")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, models.CASCADE, related_name="questions", verbose_name=_("quiz"))
    text = models.CharField(_("question"), max_length=300)
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class QuizChoice(models.Model):
    question = models.ForeignKey(QuizQuestion, models.CASCADE, related_name="choices", verbose_name=_("question"))
    text = models.CharField(_("answer"), max_length=200)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("quiz answer")
        verbose_name_plural = _("quiz answers")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class QuizAttempt(models.Model):
    quiz = models.ForeignKey(Quiz, models.CASCADE, related_name="attempts", verbose_name=_("quiz"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="quiz_attempts",
                             verbose_name=_("creator"))
    score = models.PositiveSmallIntegerField(_("score"))
    passed = models.BooleanField(_("passed"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["quiz", "user"], condition=Q(passed=True),
                                               name="quiz_passed_once")]

    def __str__(self) -> str:
        return f"{self.quiz_id}: {self.score}"
