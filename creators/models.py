"""Users (a creator is a user with the rights), follows, and the onboarding records."""
import uuid

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.prepared import Prepared

handle_validator = RegexValidator(
    r"^[A-Za-z0-9_.]{2,32}$",
    _("Douyin number: 2–32 letters, digits, underscores or dots."),
    code="invalid_handle",
)


class UserManager(DjangoUserManager):
    """Accounts are keyed by Douyin number (``handle``) instead of a username."""

    use_in_migrations = True

    def get(self, *args, **kwargs):
        """``get(pk=<int>)`` — the read of the signed-in user on every request (Django's
        ``ModelBackend.get_user``) — is prepared (``core.prepared``: compiled once per connection);
        every other ``get`` is the ORM's."""
        if not args and len(kwargs) == 1 and type(kwargs.get("pk")) is int and self._db is None:
            user = _USER_BY_PK.first(kwargs["pk"])
            if user is None:
                raise self.model.DoesNotExist(f"{self.model._meta.object_name} matching query does not exist.")
            return user
        return super().get(*args, **kwargs)

    def _create_user(self, handle, email, password, **extra_fields):
        if not handle:
            raise ValueError("The Douyin number must be set")
        email = self.normalize_email(email) if email else ""
        extra_fields.setdefault("nickname", handle)
        user = self.model(handle=handle, email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, handle, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(handle, email, password, **extra_fields)

    def create_superuser(self, handle, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(handle, email, password, **extra_fields)


_USER_BY_PK = Prepared(lambda pk: User._default_manager.get_queryset().filter(pk=pk)[:1], int)


class User(AbstractUser):
    """A Douyin account. ``handle`` is the Douyin number (抖音号), unique and URL-safe."""

    # The Douyin number is the login name.
    username = None
    handle = models.CharField(
        _("Douyin number"), max_length=32, unique=True, validators=[handle_validator],
        error_messages={"unique": _("This Douyin number is already taken.")},
    )
    nickname = models.CharField(_("nickname"), max_length=40)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/%Y/%m/", blank=True)
    bio = models.CharField(_("bio"), max_length=200, blank=True)
    # Kept by follow_create / follow_delete with F() updates in the same transaction.
    fans_count = models.PositiveIntegerField(_("fans"), default=0)
    following_count = models.PositiveIntegerField(_("following"), default=0)
    phone = models.CharField(_("bound phone"), max_length=11, null=True, blank=True, unique=True)
    phone_bound_at = models.DateTimeField(_("phone bound at"), null=True, blank=True)
    is_advertiser = models.BooleanField(_("advertiser account"), default=False)
    is_official = models.BooleanField(
        _("official account"), default=False,
        help_text=_("Official accounts such as the commerce assistant send inbox messages."),
    )

    USERNAME_FIELD = "handle"
    REQUIRED_FIELDS = ["nickname"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(condition=~Q(handle=""), name="user_handle_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.nickname or self.handle} (@{self.handle})"

    @property
    def display_name(self) -> str:
        return self.nickname or self.handle


def _upload_path(folder: str, filename: str) -> str:
    """A random name under ``folder/YYYY/MM/`` keeping only a safe extension."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    ext = ext if ext.isalnum() and len(ext) <= 5 else "bin"
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


def cover_upload_to(instance, filename: str) -> str:
    return _upload_path("covers", filename)


def video_upload_to(instance, filename: str) -> str:
    return _upload_path("videos", filename)


class Follow(models.Model):
    """``follower`` follows ``followee``; the counts on User move with these rows."""

    follower = models.ForeignKey(User, models.CASCADE, related_name="following_links", verbose_name=_("follower"))
    followee = models.ForeignKey(User, models.CASCADE, related_name="fan_links", verbose_name=_("followee"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_unique_pair"),
            models.CheckConstraint(condition=~Q(follower=models.F("followee")), name="follow_not_self"),
        ]
        indexes = [models.Index(fields=["followee", "-created_at"], name="follow_fans_recent")]

    def __str__(self) -> str:
        return f"{self.follower_id} → {self.followee_id}"


class Video(models.Model):
    """A short video. Only public original ones count toward the application threshold."""

    owner = models.ForeignKey(User, models.CASCADE, related_name="videos", verbose_name=_("creator"))
    title = models.CharField(_("title"), max_length=100)
    cover = models.ImageField(_("cover"), upload_to=cover_upload_to)
    video_file = models.FileField(_("video file"), upload_to=video_upload_to, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    is_original = models.BooleanField(
        _("original"), default=True, help_text=_("Reposted or non-original videos do not count toward eligibility."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "is_public", "is_original"], name="video_owner_counted")]

    def __str__(self) -> str:
        return self.title


class PhoneCode(models.Model):
    """A six-digit code sent to ``phone`` for ``user``; only its keyed hash is stored."""

    user = models.ForeignKey(User, models.CASCADE, related_name="phone_codes", verbose_name=_("user"))
    phone = models.CharField(_("phone"), max_length=11, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    request_ip = models.GenericIPAddressField(_("requested from"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone verification code")
        verbose_name_plural = _("phone verification codes")
        indexes = [models.Index(fields=["user", "phone", "-created_at"], name="phonecode_latest")]

    def __str__(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]} @ {self.created_at:%Y-%m-%d %H:%M}"


class RealNameVerification(models.Model):
    """A verified identity. The ID number is never stored: only a keyed hash and a masked form."""

    user = models.OneToOneField(User, models.CASCADE, related_name="real_name", verbose_name=_("user"))
    name_masked = models.CharField(_("name (masked)"), max_length=40)
    # Keyed hash (ID_HASH_KEY) of the verified name (NFKC, stripped): lets a payout check the
    # account holder's name without storing it. Blank on rows verified before it existed.
    name_hash = models.CharField(_("name hash"), max_length=64, blank=True, default="")
    id_number_hash = models.CharField(_("ID number hash"), max_length=64, unique=True)
    id_number_masked = models.CharField(_("ID number (masked)"), max_length=18)
    verifier = models.CharField(_("verified by"), max_length=100)
    verified_at = models.DateTimeField(_("verified at"))

    class Meta:
        verbose_name = _("real-name verification")
        verbose_name_plural = _("real-name verifications")

    def __str__(self) -> str:
        return f"{self.name_masked} {self.id_number_masked}"


class CartApplication(models.Model):
    """A request for product sharing (商品分享功能申请) with the eligibility it was judged on."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Under review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class EntryPoint(models.TextChoices):
        CREATOR_CENTER = "creator_center", _("Creator center")
        COMMERCE_ASSISTANT = "commerce_assistant", _("Commerce assistant")
        SHOWCASE = "showcase", _("Showcase: I want to sell too")

    # Only a service moves an application, and only along these edges.
    TRANSITIONS = {
        Status.PENDING: {Status.APPROVED, Status.REJECTED},
        Status.APPROVED: set(),
        Status.REJECTED: set(),
    }
    OPEN_STATUSES = (Status.PENDING, Status.APPROVED)

    applicant = models.ForeignKey(User, models.CASCADE, related_name="cart_applications", verbose_name=_("applicant"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    entry_point = models.CharField(_("entry point"), max_length=24, choices=EntryPoint.choices)
    is_advertiser = models.BooleanField(_("advertiser account"), default=False)
    eligibility_snapshot = models.JSONField(_("eligibility at submission"), default=dict)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("reviewed by"),
    )
    auto_approved = models.BooleanField(_("approved automatically"), default=False)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    audit_trail = HistoricalRecords(verbose_name=_("historical cart application"))

    class Meta:
        verbose_name = _("product sharing application")
        verbose_name_plural = _("product sharing applications")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"], condition=Q(status__in=["pending", "approved"]),
                name="cart_application_one_open_per_applicant",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} @{self.applicant.handle} ({self.get_status_display()})"


class CartApplicationEvent(models.Model):
    """History: every status change of an application."""

    application = models.ForeignKey(CartApplication, models.CASCADE, related_name="history",
                                    verbose_name=_("application"))
    from_status = models.CharField(_("from"), max_length=16, blank=True, choices=CartApplication.Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=CartApplication.Status.choices)
    actor = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application history entry")
        verbose_name_plural = _("application history")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class CartRight(models.Model):
    """One of the three product-sharing rights of a creator, granted together on approval."""

    class Kind(models.TextChoices):
        SHOWCASE = "showcase", _("Showcase")
        VIDEO = "video", _("Video cart")
        LIVE = "live", _("Live cart")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")

    TRANSITIONS = {
        Status.ACTIVE: {Status.SUSPENDED, Status.REVOKED},
        Status.SUSPENDED: {Status.ACTIVE, Status.SUSPENDED, Status.REVOKED},
        Status.REVOKED: {Status.ACTIVE},
    }

    user = models.ForeignKey(User, models.CASCADE, related_name="cart_rights", verbose_name=_("creator"))
    kind = models.CharField(_("right"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    application = models.ForeignKey(
        CartApplication, models.SET_NULL, null=True, blank=True, related_name="rights", verbose_name=_("application"),
    )
    granted_at = models.DateTimeField(_("granted at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product sharing right")
        verbose_name_plural = _("product sharing rights")
        ordering = ["user_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="cart_right_one_per_kind"),
            models.CheckConstraint(
                condition=~Q(status="suspended") | Q(suspended_until__isnull=False),
                name="cart_right_suspension_has_end",
            ),
        ]

    def __str__(self) -> str:
        return f"@{self.user.handle} {self.get_kind_display()} ({self.get_status_display()})"

    def effective_status(self, now=None) -> str:
        """A suspension whose end has passed no longer applies."""
        if self.status == self.Status.SUSPENDED and self.suspended_until <= (now or timezone.now()):
            return self.Status.ACTIVE
        return self.status


class CartRightEvent(models.Model):
    """History: every status change of a right."""

    right = models.ForeignKey(CartRight, models.CASCADE, related_name="history", verbose_name=_("right"))
    from_status = models.CharField(_("from"), max_length=16, blank=True, choices=CartRight.Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=CartRight.Status.choices)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("right history entry")
        verbose_name_plural = _("right history")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


# --- Rules center (规则中心): rules, public violations (违规公示), FAQ, credit score (信用分) --------


class RuleArticle(models.Model):
    class Category(models.TextChoices):
        ACCESS = "access", pgettext_lazy("rules", "Access and rights")
        CONTENT = "content", pgettext_lazy("rules", "Content")
        PRODUCTS = "products", pgettext_lazy("rules", "Products")
        LIVE = "live", pgettext_lazy("rules", "Live selling")
        CREDIT = "credit", pgettext_lazy("rules", "Credit score")

    code = models.CharField(_("rule code"), max_length=32, blank=True, default="",
                            help_text=_("A short stable code such as CONTENT-01, quoted in violations."))
    version = models.PositiveIntegerField(_("version in force"), default=1, editable=False)
    title = models.CharField(_("title"), max_length=100)
    category = models.CharField(pgettext_lazy("rules", "category"), max_length=16, choices=Category.choices)
    summary = models.CharField(pgettext_lazy("rules", "summary"), max_length=200, blank=True)
    body = models.TextField(_("body"))
    is_published = models.BooleanField(_("published"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["category", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="rule_code_unique")]

    def __str__(self) -> str:
        return self.title


class FaqEntry(models.Model):
    question = models.CharField(_("question"), max_length=200)
    answer = models.TextField(_("answer"))
    is_published = models.BooleanField(_("published"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.question


class Violation(models.Model):
    """A reported breach of a rule. Confirming it (admin action) deducts credit points and
    applies the penalty the new score calls for; published ones appear on the public board."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Under review")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")
        OVERTURNED = "overturned", _("Overturned on appeal")

    class Penalty(models.TextChoices):
        """From the mildest to the most severe (the ladder's order: the most severe wins)."""

        WARNING = "warning", _("Warning and points deducted")
        REMOVE_PRODUCT = "remove_product", _("Product taken off the carts and the showcase")
        SUSPEND = "suspend", _("Right suspended")
        FREEZE = "freeze", _("Commission withdrawal frozen")
        REVOKE = "revoke", _("Right revoked")

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        ORDINARY = "ordinary", _("Ordinary")
        SERIOUS = "serious", _("Serious")
        SEVERE = "severe", _("Severe")

    creator = models.ForeignKey(User, models.CASCADE, related_name="violations", verbose_name=_("creator"))
    rule = models.ForeignKey(RuleArticle, models.SET_NULL, null=True, blank=True, related_name="violations",
                             verbose_name=_("rule"))
    rule_version = models.ForeignKey("creators.RuleVersion", models.PROTECT, null=True, blank=True,
                                     related_name="violations", verbose_name=_("rule version in force"))
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices, blank=True)
    right_kind = models.CharField(_("right concerned"), max_length=16, choices=CartRight.Kind.choices)
    summary = models.CharField(_("public summary"), max_length=200,
                               help_text=_("Shown on the public board with the masked account."))
    details = models.TextField(_("details for the creator"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True,
                                help_text=_("What was seen, quoted for the creator (images are attached below)."))
    related_type = models.ForeignKey("contenttypes.ContentType", models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("related kind"),
                                     help_text=_("The video, live session or product concerned."))
    related_id = models.PositiveBigIntegerField(_("related id"), null=True, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    points = models.PositiveSmallIntegerField(_("points to deduct"))
    occurred_on = models.DateField(_("occurred on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    penalty = models.CharField(_("penalty"), max_length=16, choices=Penalty.choices, blank=True)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    score_after = models.SmallIntegerField(_("credit score after"), null=True, blank=True)
    is_published = models.BooleanField(_("on the public board"), default=False)
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    history = HistoricalRecords(verbose_name=_("historical violation"))

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["status", "is_published", "-occurred_on"], name="violation_board")]

    def __str__(self) -> str:
        return f"@{self.creator.handle} {self.summary}"


class CreditAccount(models.Model):
    """A creator's credit score (信用分); absent means the starting score."""

    user = models.OneToOneField(User, models.CASCADE, related_name="credit", verbose_name=_("creator"))
    score = models.SmallIntegerField(_("credit score"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("credit score")
        verbose_name_plural = _("credit scores")

    def __str__(self) -> str:
        return f"@{self.user.handle}: {self.score}"


class CreditEvent(models.Model):
    """History: every change of a credit score and why."""

    user = models.ForeignKey(User, models.CASCADE, related_name="credit_events", verbose_name=_("creator"))
    class Kind(models.TextChoices):
        VIOLATION = "violation", _("Violation")
        APPEAL = "appeal", _("Appeal upheld")
        CLEAN = "clean", _("Clean period")
        QUIZ = "quiz", _("Academy quiz passed")
        MANUAL = "manual", _("Operator")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MANUAL)
    delta = models.SmallIntegerField(_("change"))
    score_after = models.SmallIntegerField(_("score after"))
    reason = models.CharField(_("reason"), max_length=200)
    violation = models.ForeignKey(Violation, models.SET_NULL, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit score change")
        verbose_name_plural = _("credit score history")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.delta:+d} → {self.score_after}"


from .governance_models import (  # noqa: E402,F401  (models of the governance room, same app)
    Appeal,
    AppealImage,
    Penalty,
    PenaltyRule,
    RuleVersion,
    SeverityPoints,
    ViolationImage,
)
