"""Governance (issue 12): rule versions, severity points, the penalty ladder, penalties with
their end, and appeals. Imported at the end of ``models.py`` (same app, ``creators``)."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

Severity_choices = [
    ("minor", _("Minor")), ("ordinary", _("Ordinary")), ("serious", _("Serious")), ("severe", _("Severe")),
]
SEVERITY_RANK = {"minor": 0, "ordinary": 1, "serious": 2, "severe": 3}
PENALTY_RANK = {"warning": 0, "remove_product": 1, "suspend": 2, "freeze": 3, "revoke": 4}


class RuleVersion(models.Model):
    """The text of a rule as it stood from ``created_at``; a violation quotes the one in force."""

    rule = models.ForeignKey("creators.RuleArticle", models.CASCADE, related_name="versions", verbose_name=_("rule"))
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("in force from"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["rule_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["rule", "version"], name="rule_version_once")]

    def __str__(self) -> str:
        code = self.rule.code or f"#{self.rule_id}"
        return f"{code} v{self.version} {self.title}"


class SeverityPoints(models.Model):
    """How many credit points a violation of each severity deducts (operators tune it)."""

    severity = models.CharField(_("severity"), max_length=16, choices=Severity_choices, unique=True)
    points = models.PositiveSmallIntegerField(_("points deducted"),
                                              validators=[MinValueValidator(1), MaxValueValidator(12)])

    class Meta:
        verbose_name = _("points by severity")
        verbose_name_plural = _("points by severity")
        ordering = ["points"]
        constraints = [models.CheckConstraint(condition=Q(points__gte=1) & Q(points__lte=12),
                                              name="severity_points_1_to_12")]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.points}"


class PenaltyRule(models.Model):
    """One rung of the penalty ladder. It applies when the violation is at least
    ``min_severity`` (empty: any) and the score reached is at most ``score_at_most`` (empty:
    any score); of the rungs that apply the most severe penalty wins, then the longest."""

    kind = models.CharField(_("penalty"), max_length=16, choices=[
        ("warning", _("Warning and points deducted")),
        ("remove_product", _("Product taken off the carts and the showcase")),
        ("suspend", _("Right suspended")),
        ("freeze", _("Commission withdrawal frozen")),
        ("revoke", _("Right revoked")),
    ])
    min_severity = models.CharField(_("from severity"), max_length=16, choices=Severity_choices, blank=True)
    score_at_most = models.SmallIntegerField(_("when the score reached is at most"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("days"), default=0,
                                            help_text=_("How long a suspension or a freeze lasts."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("penalty ladder rung")
        verbose_name_plural = _("penalty ladder")
        ordering = ["score_at_most", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(min_severity="") | Q(score_at_most__isnull=False),
                                   name="penalty_rule_has_condition"),
            models.CheckConstraint(condition=~Q(kind__in=["suspend", "freeze"]) | Q(days__gte=1),
                                   name="penalty_rule_timed_has_days"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Penalty(models.Model):
    """A penalty in force (or lifted) against a creator because of one violation."""

    violation = models.ForeignKey("creators.Violation", models.CASCADE, related_name="penalties",
                                  verbose_name=_("violation"))
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="penalties",
                                verbose_name=_("creator"))
    kind = models.CharField(_("penalty"), max_length=16, choices=PenaltyRule._meta.get_field("kind").choices)
    right_kind = models.CharField(_("right concerned"), max_length=16, blank=True)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"), null=True, blank=True, db_index=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_reason = models.CharField(_("why lifted"), max_length=200, blank=True)
    history = HistoricalRecords(verbose_name=_("historical penalty"))

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["creator", "kind", "lifted_at"], name="penalty_in_force")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.violation_id}"


class ViolationImage(models.Model):
    violation = models.ForeignKey("creators.Violation", models.CASCADE, related_name="images",
                                  verbose_name=_("violation"))
    image = models.ImageField(_("image"), upload_to="evidence/%Y/%m/")

    class Meta:
        verbose_name = _("evidence image")
        verbose_name_plural = _("evidence images")

    def __str__(self) -> str:
        return self.image.name


class Appeal(models.Model):
    """A creator's one appeal against a confirmed violation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Under review")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Rejected")

    violation = models.OneToOneField("creators.Violation", models.CASCADE, related_name="appeal",
                                     verbose_name=_("violation"))
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="appeals",
                                verbose_name=_("creator"))
    text = models.TextField(_("why the violation is wrong"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decision_note = models.TextField(_("answer to the creator"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    history = HistoricalRecords(verbose_name=_("historical appeal"))

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.violation_id} {self.get_status_display()}"


class AppealImage(models.Model):
    appeal = models.ForeignKey(Appeal, models.CASCADE, related_name="images", verbose_name=_("appeal"))
    image = models.ImageField(_("image"), upload_to="appeals/%Y/%m/")

    class Meta:
        verbose_name = _("appeal image")
        verbose_name_plural = _("appeal images")

    def __str__(self) -> str:
        return self.image.name
