"""Credit score (信用分) and violations: confirming a violation deducts points and applies
the penalty that the new score calls for (settings ``CREDIT_*``)."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.errors import InvalidInput, NotFound
from notices.models import OfficialKind
from notices.services import message_send_on_commit

from ..models import CartRight, CreditAccount, CreditEvent, User, Violation
from .rights import _msgid, cart_right_revoke, cart_right_suspend


def credit_settings() -> dict:
    """Start and ceiling of the score, and the penalties by threshold (Douyin tunes them)."""
    return {
        "start": getattr(settings, "CREDIT_SCORE_START", 10),
        "max": getattr(settings, "CREDIT_SCORE_MAX", 12),
        "revoke_at": getattr(settings, "CREDIT_REVOKE_AT", 0),
        "suspend_below": sorted(getattr(settings, "CREDIT_SUSPEND_BELOW", [(4, 30), (7, 7)])),
    }


def penalty_for(score: int) -> tuple[str, int]:
    """(penalty, suspension days) a score calls for: revoke at or below ``revoke_at``,
    suspend for the days of the lowest threshold the score is under, else a warning."""
    config = credit_settings()
    if score <= config["revoke_at"]:
        return Violation.Penalty.REVOKE, 0
    for below, days in config["suspend_below"]:
        if score < below:
            return Violation.Penalty.SUSPEND, days
    return Violation.Penalty.WARNING, 0


def _locked_account(user: User) -> CreditAccount:
    account = CreditAccount.objects.select_for_update().filter(user=user).first()
    if account is None:
        try:
            with transaction.atomic():
                CreditAccount.objects.create(user=user, score=credit_settings()["start"])
        except IntegrityError:  # created by a concurrent first change
            pass
        account = CreditAccount.objects.select_for_update().get(user=user)
    return account


def _change_score(*, user: User, delta: int, reason: str, actor: User | None,
                  violation: Violation | None = None) -> int:
    config = credit_settings()
    account = _locked_account(user)
    old = account.score
    new = min(max(old + delta, 0), config["max"])
    if new != old:
        account.score = new
        account.save(update_fields=["score", "updated_at"])
    CreditEvent.objects.create(user=user, delta=new - old, score_after=new, reason=reason[:200], violation=violation,
                               actor=actor)
    return new


def _apply_penalty(violation: Violation, penalty: str, days: int, actor: User | None) -> tuple[str, datetime.datetime | None]:
    """Suspend or revoke the right concerned; a creator without that right, or with it
    already revoked, keeps the points deducted and gets a warning."""
    right = CartRight.objects.filter(user=violation.creator, kind=violation.right_kind).first()
    status = right.effective_status() if right else None
    if penalty == Violation.Penalty.WARNING or status in (None, CartRight.Status.REVOKED):
        return Violation.Penalty.WARNING, None
    rule = violation.rule.title if violation.rule_id else violation.summary
    if penalty == Violation.Penalty.REVOKE:
        cart_right_revoke(user=violation.creator, kind=violation.right_kind, reason=rule, actor=actor)
        return penalty, None
    until = timezone.now() + datetime.timedelta(days=days)
    if status == CartRight.Status.SUSPENDED and right.suspended_until >= until:
        return penalty, right.suspended_until  # an equal or longer suspension already runs
    cart_right_suspend(user=violation.creator, kind=violation.right_kind, until=until, reason=rule, actor=actor)
    return penalty, until


@transaction.atomic
def violation_confirm(*, violation_id: int, actor: User | None, publish: bool = True) -> Violation:
    """Confirm a pending violation: deduct its points, apply the penalty the new score
    calls for, publish it on the board, and tell the creator through the commerce assistant."""
    violation = (Violation.objects.select_for_update(of=("self",)).select_related("rule", "creator")
                 .filter(pk=violation_id).first())
    if violation is None:
        raise NotFound(_("No such violation."), field="violation")
    if violation.status != Violation.Status.PENDING:
        raise InvalidInput(_("This violation was already decided."), field="status", code="decided")
    if violation.points < 1:
        raise InvalidInput(_("A confirmed violation deducts at least one point."), field="points")
    score = _change_score(user=violation.creator, delta=-violation.points, actor=actor, violation=violation,
                          reason=f"violation #{violation.pk}: {violation.summary}")
    penalty, days = penalty_for(score)
    penalty, until = _apply_penalty(violation, penalty, days, actor)
    violation.status = Violation.Status.CONFIRMED
    violation.penalty = penalty
    violation.suspended_until = until
    violation.score_after = score
    violation.is_published = publish
    violation.decided_at = timezone.now()
    violation.decided_by = actor
    violation.save()
    message_send_on_commit(
        recipient=violation.creator, sender_handle_or_user=OfficialKind.COMMERCE_ASSISTANT,
        kind="credit.violation", dedupe_key=f"violation.{violation.pk}",
        title=gettext_noop("Violation confirmed: %(points)s credit points deducted"),
        body=gettext_noop("%(summary)s Penalty: %(penalty)s. Your credit score is now %(score)s."),
        params={"points": violation.points, "summary": violation.summary, "score": score,
                "penalty": _msgid(violation.get_penalty_display())},
        link=reverse("creators:rules") + "?tab=credit",
    )
    return violation


@transaction.atomic
def violation_dismiss(*, violation_id: int, actor: User | None) -> Violation:
    violation = Violation.objects.select_for_update().filter(pk=violation_id).first()
    if violation is None:
        raise NotFound(_("No such violation."), field="violation")
    if violation.status != Violation.Status.PENDING:
        raise InvalidInput(_("This violation was already decided."), field="status", code="decided")
    violation.status = Violation.Status.DISMISSED
    violation.is_published = False
    violation.decided_at = timezone.now()
    violation.decided_by = actor
    violation.save(update_fields=["status", "is_published", "decided_at", "decided_by"])
    return violation


@transaction.atomic
def credit_restore(*, user: User, points: int, reason: str, actor: User | None) -> int:
    """Give points back (an appeal upheld, a clean period), never above the maximum."""
    if not isinstance(points, int) or points < 1:
        raise InvalidInput(_("Restore at least one point."), field="points")
    if not (reason or "").strip():
        raise InvalidInput(_("Give a reason; the creator will see it."), field="reason")
    return _change_score(user=user, delta=points, reason=reason.strip(), actor=actor)
