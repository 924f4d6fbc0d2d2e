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
from core.outbox import outbox_emit
from notices.models import OfficialKind
from notices.services import message_send_on_commit

from ..governance_models import PENALTY_RANK, SEVERITY_RANK
from ..models import (
    CartRight,
    CreditAccount,
    CreditEvent,
    Penalty,
    PenaltyRule,
    RuleArticle,
    RuleVersion,
    SeverityPoints,
    User,
    Violation,
)
from ..signals import penalty_products_removed
from .rights import _msgid, cart_right_revoke, cart_right_suspend


def credit_settings() -> dict:
    """Start and ceiling of the score (settings), and the score rungs of the penalty ladder
    (admin table) for the credit page: suspensions by "below" threshold and the revoke score."""
    rungs = PenaltyRule.objects.filter(is_active=True, score_at_most__isnull=False, min_severity="")
    suspend = sorted({(r.score_at_most + 1, r.days) for r in rungs if r.kind == "suspend"})
    revoke = [r.score_at_most for r in rungs if r.kind == "revoke"]
    return {
        "start": getattr(settings, "CREDIT_SCORE_START", 10),
        "max": getattr(settings, "CREDIT_SCORE_MAX", 12),
        "revoke_at": max(revoke) if revoke else None,
        "suspend_below": suspend,
    }


def penalty_for(score: int, severity: str = "") -> tuple[str, int]:
    """(penalty, days) the ladder (admin table ``PenaltyRule``) calls for: of the active rungs
    whose severity and score conditions hold, the most severe penalty wins, then the longest."""
    best = (Violation.Penalty.WARNING.value, 0)
    for rung in PenaltyRule.objects.filter(is_active=True):
        if rung.min_severity and SEVERITY_RANK.get(severity, -1) < SEVERITY_RANK[rung.min_severity]:
            continue
        if rung.score_at_most is not None and score > rung.score_at_most:
            continue
        if (PENALTY_RANK[rung.kind], rung.days) > (PENALTY_RANK[best[0]], best[1]):
            best = (rung.kind, rung.days)
    return best


def points_for(severity: str) -> int:
    """Points a violation of ``severity`` deducts (admin table ``SeverityPoints``)."""
    row = SeverityPoints.objects.filter(severity=severity).first()
    if row is None:
        raise InvalidInput(_("No points are set for this severity: add it to the points table."), field="severity")
    return row.points


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
                  violation: Violation | None = None, kind: str = CreditEvent.Kind.MANUAL) -> int:
    config = credit_settings()
    account = _locked_account(user)
    old = account.score
    new = min(max(old + delta, 0), config["max"])
    if new != old:
        account.score = new
        account.save(update_fields=["score", "updated_at"])
    CreditEvent.objects.create(user=user, delta=new - old, score_after=new, reason=reason[:200], violation=violation,
                               actor=actor, kind=kind)
    return new


PENALTY_APPLIED = "penalty.applied"  # outbox topic


def _apply_penalty(violation: Violation, penalty: str, days: int, actor: User | None) -> tuple[str, datetime.datetime | None]:
    """Act on the penalty at once and record it as a :class:`Penalty`. A suspension or a
    revocation of a right the creator lacks (or has already lost), or a product removal of a
    violation that names no product or video, becomes a warning."""
    now = timezone.now()
    rule = violation.rule.title if violation.rule_id else violation.summary
    until = None
    if penalty in (Violation.Penalty.SUSPEND, Violation.Penalty.REVOKE):
        right = CartRight.objects.filter(user=violation.creator, kind=violation.right_kind).first()
        status = right.effective_status() if right else None
        if status in (None, CartRight.Status.REVOKED):
            penalty = Violation.Penalty.WARNING
        elif penalty == Violation.Penalty.REVOKE:
            cart_right_revoke(user=violation.creator, kind=violation.right_kind, reason=rule, actor=actor)
        else:
            until = now + datetime.timedelta(days=days)
            if not (status == CartRight.Status.SUSPENDED and right.suspended_until >= until):
                cart_right_suspend(user=violation.creator, kind=violation.right_kind, until=until, reason=rule,
                                   actor=actor)
    elif penalty == Violation.Penalty.FREEZE:
        until = now + datetime.timedelta(days=days)
    elif penalty == Violation.Penalty.REMOVE_PRODUCT:
        if violation.related_type_id is None:  # nothing named to take down: a warning
            penalty = Violation.Penalty.WARNING
        else:
            transaction.on_commit(lambda: penalty_products_removed.send(sender=Violation, violation=violation))
    row = Penalty.objects.create(violation=violation, creator=violation.creator, kind=penalty, starts_at=now,
                                 ends_at=until, right_kind=violation.right_kind if penalty in ("suspend", "revoke") else "")
    # Open platform (issue 14): the apps a creator granted are told (webhook penalty.applied).
    outbox_emit(topic=PENALTY_APPLIED, key=f"{PENALTY_APPLIED}:{row.pk}", payload={
        "penalty_id": row.pk, "violation_id": violation.pk, "creator_id": violation.creator_id, "kind": penalty,
        "right_kind": row.right_kind, "starts_at": now.isoformat(), "ends_at": until.isoformat() if until else None})
    return penalty, until


@transaction.atomic
def violation_record(*, violation: Violation, actor: User | None) -> Violation:
    """Save a new (pending) violation: its points come from its severity and it quotes the
    version of its rule in force now."""
    if violation.pk is not None:
        raise InvalidInput(_("This violation is already recorded."), field="violation")
    if not violation.severity:
        raise InvalidInput(_("Choose a severity."), field="severity")
    violation.points = points_for(violation.severity)
    if violation.rule_id:
        violation.rule_version = rule_version_current(rule=violation.rule)
    violation.save()
    return violation


@transaction.atomic
def rule_version_current(*, rule: RuleArticle) -> RuleVersion:
    """The version of ``rule`` in force: a new one when its title or text changed."""
    latest = RuleVersion.objects.filter(rule=rule).order_by("-version").first()
    if latest is not None and latest.title == rule.title and latest.body == rule.body:
        return latest
    version = (latest.version + 1) if latest else 1
    RuleArticle.objects.filter(pk=rule.pk).update(version=version)
    rule.version = version
    return RuleVersion.objects.create(rule=rule, version=version, title=rule.title, body=rule.body)


@transaction.atomic
def violation_confirm(*, violation_id: int, actor: User | None, publish: bool = True) -> Violation:
    """Confirm a pending violation: deduct its points, apply the penalty the ladder calls for,
    publish it on the board, and tell the creator through the commerce assistant."""
    violation = (Violation.objects.select_for_update(of=("self",)).select_related("rule", "creator")
                 .filter(pk=violation_id).first())
    if violation is None:
        raise NotFound(_("No such violation."), field="violation")
    if violation.status != Violation.Status.PENDING:
        raise InvalidInput(_("This violation was already decided."), field="status", code="decided")
    if violation.points < 1:
        raise InvalidInput(_("A confirmed violation deducts at least one point."), field="points")
    if violation.rule_id and violation.rule_version_id is None:
        violation.rule_version = rule_version_current(rule=violation.rule)
    score = _change_score(user=violation.creator, delta=-violation.points, actor=actor, violation=violation,
                          reason=f"violation #{violation.pk}: {violation.summary}", kind=CreditEvent.Kind.VIOLATION)
    penalty, days = penalty_for(score, violation.severity)
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
        body=gettext_noop("%(summary)s Penalty: %(penalty)s. Your credit score is now %(score)s. "
                          "You may appeal within %(days)s days."),
        params={"points": violation.points, "summary": violation.summary, "score": score,
                "penalty": _msgid(violation.get_penalty_display()), "days": settings.APPEAL_DAYS},
        link=reverse("creators:violation", args=[violation.pk]),
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
def credit_restore(*, user: User, points: int, reason: str, actor: User | None,
                   kind: str = CreditEvent.Kind.MANUAL) -> int:
    """Give points back (an appeal upheld, a clean period), never above the maximum."""
    if not isinstance(points, int) or points < 1:
        raise InvalidInput(_("Restore at least one point."), field="points")
    if not (reason or "").strip():
        raise InvalidInput(_("Give a reason; the creator will see it."), field="reason")
    return _change_score(user=user, delta=points, reason=reason.strip(), actor=actor, kind=kind)
