"""Reads of the governance room: whether a right or a withdrawal is blocked (every write
path asks these), and a creator's own violations. Re-exported by ``creators.selectors``."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CartRight, Penalty, User, Violation


def _fmt(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def right_block(user, right: str) -> tuple[str, str] | None:
    """(code, reason) why ``user`` may not use ``right`` now, or None when they may."""
    label = CartRight.Kind(right).label
    found = (CartRight.objects.filter(user_id=user.pk, kind=right).first()
             if getattr(user, "is_authenticated", False) else None)
    if found is None:
        return "no_right", _("You do not have the %(right)s right: apply for product sharing first.") % {"right": label}
    status = found.effective_status()
    if status == CartRight.Status.SUSPENDED:
        return "right_suspended", (_("Your %(right)s right is suspended until %(until)s: %(reason)s")
                                   % {"right": label, "until": _fmt(found.suspended_until), "reason": found.reason})
    if status == CartRight.Status.REVOKED:
        return "right_revoked", (_("Your %(right)s right was revoked: %(reason)s")
                                 % {"right": label, "reason": found.reason})
    return None


def right_block_reason(user, right: str) -> str | None:
    """Why ``user`` may not use ``right`` (showcase, video, live) now, or None."""
    blocked = right_block(user, right)
    return blocked[1] if blocked else None


def withdrawal_block_reason(user) -> str | None:
    """Why ``user`` may not withdraw commission now (a freeze penalty in force), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    now = timezone.now()
    freeze = (Penalty.objects.filter(creator_id=user.pk, kind="freeze", lifted_at__isnull=True, ends_at__gt=now)
              .select_related("violation__rule").order_by("-ends_at").first())
    if freeze is None:
        return None
    violation = freeze.violation
    rule = violation.rule.title if violation.rule_id else violation.summary
    return (_("Your commission withdrawals are frozen until %(until)s because of a violation: %(rule)s")
            % {"until": _fmt(freeze.ends_at), "rule": rule})


def violations_of(user: User):
    """The creator's own decided violations, newest first (pending ones are not shown yet)."""
    return (Violation.objects.filter(creator_id=user.pk).exclude(status=Violation.Status.PENDING)
            .exclude(status=Violation.Status.DISMISSED)
            .select_related("rule", "rule_version", "appeal").prefetch_related("images", "penalties")
            .order_by("-decided_at", "-pk"))


def violation_of(user: User, pk: int) -> Violation | None:
    return violations_of(user).filter(pk=pk).first()
