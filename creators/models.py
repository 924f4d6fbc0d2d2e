"""Users (a creator is a user with the rights), follows, and the onboarding records."""
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

handle_validator = RegexValidator(
    r"^[A-Za-z0-9_.]{2,32}$",
    _("Douyin number: 2–32 letters, digits, underscores or dots."),
    code="invalid_handle",
)


class UserManager(DjangoUserManager):
    """Accounts are keyed by Douyin number (``handle``) instead of a username."""

    use_in_migrations = True

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
