"""Reads of the creators app: eligibility, rights, profiles."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from .models import (
    CartApplication,
    CartRight,
    CreditAccount,
    CreditEvent,
    FaqEntry,
    Follow,
    RealNameVerification,
    RuleArticle,
    User,
    Video,
    Violation,
)

CRITERIA_LABELS = {
    "fans": _("Fans"),
    "public_original_videos": _("Public original videos"),
    "phone": _("Phone number bound"),
    "real_name": _("Real name verified"),
}


@dataclass(frozen=True)
class Criterion:
    key: str
    value: int | bool
    threshold: int | bool
    passed: bool
    next_step: str = ""
    action_label: str = ""
    next_url: str = ""

    @property
    def label(self) -> str:
        return CRITERIA_LABELS[self.key]

    @property
    def is_count(self) -> bool:
        return not isinstance(self.threshold, bool)

    def as_dict(self) -> dict:
        return {
            "key": self.key, "label": force_str(self.label), "value": self.value, "threshold": self.threshold,
            "passed": self.passed, "next_step": force_str(self.next_step), "action_label": force_str(self.action_label),
            "next_url": self.next_url,
        }


@dataclass(frozen=True)
class Eligibility:
    criteria: tuple[Criterion, ...]
    checked_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.criteria)

    @property
    def failing(self) -> list[Criterion]:
        return [c for c in self.criteria if not c.passed]

    def as_dict(self) -> dict:
        return {"eligible": self.passed, "criteria": [c.as_dict() for c in self.criteria]}

    def snapshot(self) -> dict:
        """Language-neutral record kept with an application."""
        return {
            "checked_at": self.checked_at.isoformat(),
            "eligible": self.passed,
            "criteria": [{"key": c.key, "value": c.value, "threshold": c.threshold, "passed": c.passed}
                         for c in self.criteria],
        }


def eligibility_for(user: User) -> Eligibility:
    """THE answer to "may this user apply for product sharing?", criterion by criterion."""
    fans, phone = User.objects.filter(pk=user.pk).values_list("fans_count", "phone").get()
    videos = Video.objects.filter(owner_id=user.pk, is_public=True, is_original=True).count()
    verified = RealNameVerification.objects.filter(user_id=user.pk).exists()
    min_fans = settings.ELIGIBILITY_MIN_FANS
    min_videos = settings.ELIGIBILITY_MIN_PUBLIC_ORIGINAL_VIDEOS
    criteria = [
        Criterion("fans", fans, min_fans, fans >= min_fans),
        Criterion("public_original_videos", videos, min_videos, videos >= min_videos),
        Criterion("phone", bool(phone), True, bool(phone)),
        Criterion("real_name", verified, True, verified),
    ]
    return Eligibility(tuple(_with_next_step(c, user) for c in criteria))


def _with_next_step(c: Criterion, user: User) -> Criterion:
    if c.passed:
        return c
    if c.key == "fans":
        step = _("%(missing)s more fans needed: keep posting original videos and share your profile.") % {
            "missing": c.threshold - c.value}
        return Criterion(c.key, c.value, c.threshold, False, step, _("Share my profile"),
                         reverse("creators:profile", args=[user.handle]))
    if c.key == "public_original_videos":
        step = _("Publish %(missing)s more public original videos; private and reposted videos do not count.") % {
            "missing": c.threshold - c.value}
        return Criterion(c.key, c.value, c.threshold, False, step, _("Upload a video"), reverse("creators:video_new"))
    if c.key == "phone":
        return Criterion(c.key, c.value, c.threshold, False, _("Bind your mobile phone number."),
                         _("Bind phone"), reverse("creators:phone"))
    return Criterion(c.key, c.value, c.threshold, False,
                     _("Verify your real name with your resident ID card; sellers must be adults."),
                     _("Verify real name"), reverse("creators:realname"))


def snapshot_rows(snapshot: dict) -> list[dict]:
    """An application's snapshot with translated labels, for admin and pages."""
    rows = []
    for item in snapshot.get("criteria", []):
        rows.append({**item, "label": CRITERIA_LABELS.get(item.get("key"), item.get("key"))})
    return rows


def latest_application(user: User) -> CartApplication | None:
    if not user.is_authenticated:
        return None
    return CartApplication.objects.filter(applicant=user).order_by("-submitted_at", "-pk").first()


def open_application(user: User) -> CartApplication | None:
    return CartApplication.objects.filter(applicant=user, status__in=CartApplication.OPEN_STATUSES).first()


@dataclass(frozen=True)
class RightState:
    kind: str
    status: str  # "none", or a CartRight.Status value, with expired suspensions counted as active
    suspended_until: datetime.datetime | None = None
    reason: str = ""

    @property
    def label(self) -> str:
        return CartRight.Kind(self.kind).label

    @property
    def status_label(self) -> str:
        if self.status == "none":
            return _("Not open")
        return CartRight.Status(self.status).label

    @property
    def usable(self) -> bool:
        return self.status == CartRight.Status.ACTIVE

    @property
    def pill(self) -> str:
        return {"active": "pill--ok", "suspended": "pill--warn", "revoked": "pill--bad"}.get(self.status, "")


def cart_rights_for(user: User) -> list[RightState]:
    """The three rights in order (showcase, video, live) with their effective state."""
    rights = {r.kind: r for r in CartRight.objects.filter(user_id=user.pk)} if user.is_authenticated else {}
    now = timezone.now()
    states = []
    for kind in CartRight.Kind.values:
        right = rights.get(kind)
        if right is None:
            states.append(RightState(kind, "none"))
            continue
        status = right.effective_status(now)
        states.append(RightState(kind, status, right.suspended_until if status == "suspended" else None,
                                 right.reason if status != "active" else ""))
    return states


def has_any_cart_right(user: User) -> bool:
    return any(s.status != "none" for s in cart_rights_for(user))


def profile_for(handle: str) -> User | None:
    return User.objects.filter(handle=handle, is_active=True).first()


def public_videos(user: User):
    return Video.objects.filter(owner=user, is_public=True)


def is_following(*, follower: User, followee: User) -> bool:
    if not follower.is_authenticated:
        return False
    return Follow.objects.filter(follower=follower, followee=followee).exists()


# --- Rules center and credit score -------------------------------------------------------------


def real_name_matches(*, user: User, name: str) -> bool:
    """Whether ``name`` (NFKC, whitespace collapsed) is the legal name ``user`` verified.

    False when the user has no verification, or one from before names were hashed."""
    import hmac

    from .realname import hash_name

    stored = (RealNameVerification.objects.filter(user_id=user.pk).values_list("name_hash", flat=True).first()
              or "")
    return bool(stored) and bool(name and name.strip()) and hmac.compare_digest(stored, hash_name(name))


def credit_score_of(user: User) -> int:
    from .services.credit import credit_settings

    score = CreditAccount.objects.filter(user_id=user.pk).values_list("score", flat=True).first()
    return credit_settings()["start"] if score is None else score


def credit_history(user: User, *, limit: int = 20):
    return CreditEvent.objects.filter(user_id=user.pk).select_related("violation")[:limit]


def rules_by_category() -> list[tuple[str, str, list]]:
    """Published rules grouped by category, in the categories' order."""
    grouped: dict[str, list] = {}
    for rule in RuleArticle.objects.filter(is_published=True):
        grouped.setdefault(rule.category, []).append(rule)
    return [(value, label, grouped[value]) for value, label in RuleArticle.Category.choices if value in grouped]


def rule_published(pk: int):
    return RuleArticle.objects.filter(pk=pk, is_published=True).first()


def faq_entries():
    return FaqEntry.objects.filter(is_published=True)


def mask_name(name: str) -> str:
    """小美的日常 → 小***常; two characters → 小*; one stays one."""
    name = name or ""
    if len(name) <= 1:
        return name + "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "***" + name[-1]


def mask_handle(handle: str) -> str:
    """linlin_chuanda → li***a."""
    return (handle[:2] + "***" + handle[-1:]) if len(handle) > 3 else handle[:1] + "***"


@dataclass(frozen=True)
class BoardEntry:
    pk: int
    name: str
    handle: str
    rule: str
    summary: str
    penalty: str
    points: int
    right: str
    occurred_on: datetime.date
    suspended_until: datetime.datetime | None


def violations_board(*, limit: int = 50) -> list[BoardEntry]:
    """Confirmed, published violations, newest first, with the account masked."""
    rows = (
        Violation.objects.filter(status=Violation.Status.CONFIRMED, is_published=True)
        .select_related("creator", "rule")[:limit]
    )
    return [
        BoardEntry(v.pk, mask_name(v.creator.display_name), mask_handle(v.creator.handle),
                   v.rule.title if v.rule_id else "", v.summary, v.get_penalty_display(), v.points,
                   v.get_right_kind_display(), v.occurred_on, v.suspended_until)
        for v in rows
    ]


def academy_audience():
    """Who hears about new academy courses: creators holding product sharing rights (not
    revoked) and followers of the commerce assistant (guide: 保持关注，即可实时获取最新动态)."""
    from notices.services import OFFICIAL_ACCOUNTS

    handle = OFFICIAL_ACCOUNTS["commerce_assistant"]["handle"]
    with_rights = CartRight.objects.exclude(status=CartRight.Status.REVOKED).values("user_id")
    followers = Follow.objects.filter(followee__handle=handle).values("follower_id")
    return User.objects.filter(Q(pk__in=with_rights) | Q(pk__in=followers))


from .governance_selectors import (  # noqa: E402,F401  (governance reads, one import path for callers)
    right_block,
    right_block_reason,
    violation_of,
    violations_of,
    withdrawal_block_reason,
)
