"""Appeals, the end of penalties and points coming back (issue 12 §3-5).

Every step the creator should know about is a message from 电商小助手 (commerce assistant).
"""
from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.errors import Conflict, InvalidInput, NotFound
from notices.models import OfficialKind
from notices.services import message_send_on_commit

from ..models import Appeal, AppealImage, CartRight, CreditEvent, Penalty, User, Violation
from ..uploads import validate_image
from .credit import _change_score, credit_settings
from .rights import _fmt, _msgid, cart_right_reinstate

APPEAL_TEXT_MAX = 2000


def _tell(user: User, *, kind: str, key: str, title: str, body: str, params: dict, link: str) -> None:
    message_send_on_commit(recipient=user, sender_handle_or_user=OfficialKind.COMMERCE_ASSISTANT, kind=kind,
                           dedupe_key=key, title=title, body=body, params=params, link=link)


def _violation_link(violation_id: int) -> str:
    return reverse("creators:violation", args=[violation_id])


def appeal_deadline(violation: Violation) -> datetime.datetime | None:
    if violation.decided_at is None:
        return None
    return violation.decided_at + datetime.timedelta(days=settings.APPEAL_DAYS)


@transaction.atomic
def appeal_submit(*, user: User, violation_id: int, text: str, images=()) -> Appeal:
    """The creator contests one of their confirmed violations, once, within ``APPEAL_DAYS``."""
    violation = Violation.objects.select_for_update().filter(pk=violation_id, creator_id=user.pk).first()
    if violation is None:
        raise NotFound(_("No such violation."), field="violation")
    if violation.status != Violation.Status.CONFIRMED:
        raise InvalidInput(_("Only a confirmed violation can be appealed."), field="violation", code="not_confirmed")
    if timezone.now() > appeal_deadline(violation):
        raise InvalidInput(_("The %(days)s days to appeal this violation have passed.") % {"days": settings.APPEAL_DAYS},
                           field="violation", code="appeal_closed")
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Say why the violation is wrong."), field="text", code="required")
    if len(text) > APPEAL_TEXT_MAX:
        raise InvalidInput(_("Keep the appeal under %(n)s characters.") % {"n": APPEAL_TEXT_MAX}, field="text",
                           code="too_long")
    images = [image for image in images if image]
    if len(images) > settings.APPEAL_MAX_IMAGES:
        raise InvalidInput(_("Attach at most %(n)s images.") % {"n": settings.APPEAL_MAX_IMAGES}, field="images",
                           code="too_many")
    for image in images:
        validate_image(image, field="images")
    if Appeal.objects.filter(violation=violation).exists():
        raise Conflict(_("This violation was already appealed."), field="violation", code="appealed")
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(violation=violation, creator=user, text=text)
    except IntegrityError:
        raise Conflict(_("This violation was already appealed."), field="violation", code="appealed") from None
    for image in images:
        AppealImage.objects.create(appeal=appeal, image=image)
    _tell(user, kind="credit.appeal_received", key=f"appeal.{appeal.pk}.received",
          title=gettext_noop("We received your appeal"),
          body=gettext_noop("Your appeal against “%(summary)s” is being reviewed; we will tell you the decision."),
          params={"summary": violation.summary}, link=_violation_link(violation.pk))
    return appeal


def _penalty_lift(penalty: Penalty, *, reason: str, actor: User | None) -> None:
    """Mark one penalty lifted and give back the right it held, unless another penalty in
    force still holds that right."""
    now = timezone.now()
    penalty.lifted_at = now
    penalty.lift_reason = reason[:200]
    penalty.save(update_fields=["lifted_at", "lift_reason"])
    if penalty.kind not in ("suspend", "revoke"):
        return
    still_held = Penalty.objects.filter(
        creator_id=penalty.creator_id, right_kind=penalty.right_kind, kind__in=["suspend", "revoke"],
        lifted_at__isnull=True,
    ).exclude(pk=penalty.pk).filter(_in_force_q(now)).exists()
    right = CartRight.objects.filter(user_id=penalty.creator_id, kind=penalty.right_kind).first()
    if still_held or right is None:
        return
    # Give back only what this penalty took: a revocation, or a suspension that ends no later
    # than this penalty did (a longer one set by an operator stays).
    ours = ((penalty.kind == "revoke" and right.status == CartRight.Status.REVOKED)
            or (penalty.kind == "suspend" and right.status == CartRight.Status.SUSPENDED
                and penalty.ends_at is not None and right.suspended_until <= penalty.ends_at))
    if ours:
        cart_right_reinstate(user=penalty.creator, kind=penalty.right_kind, actor=actor)


def _in_force_q(now):
    from django.db.models import Q
    return Q(ends_at__isnull=True) | Q(ends_at__gt=now)


@transaction.atomic
def appeal_decide(*, appeal_id: int, uphold: bool, note: str, actor: User | None) -> Appeal:
    """An operator decides: an upheld appeal restores the points, lifts the penalties and
    takes the violation off the board; a rejected one leaves everything as it was."""
    appeal = Appeal.objects.select_for_update().filter(pk=appeal_id).first()
    if appeal is None:
        raise NotFound(_("No such appeal."), field="appeal")
    if appeal.status != Appeal.Status.PENDING:
        raise InvalidInput(_("This appeal was already decided."), field="status", code="decided")
    note = (note or "").strip()
    if not uphold and not note:
        raise InvalidInput(_("Give a reason; the creator will see it."), field="note", code="reason_required")
    violation = Violation.objects.select_for_update().select_related("creator").get(pk=appeal.violation_id)
    appeal.status = Appeal.Status.UPHELD if uphold else Appeal.Status.REJECTED
    appeal.decision_note = note
    appeal.decided_at = timezone.now()
    appeal.decided_by = actor
    appeal.save(update_fields=["status", "decision_note", "decided_at", "decided_by"])
    if uphold:
        deducted = -sum(CreditEvent.objects.filter(violation=violation, kind=CreditEvent.Kind.VIOLATION)
                        .values_list("delta", flat=True))
        score = _change_score(user=violation.creator, delta=deducted, actor=actor, violation=violation,
                              reason=f"appeal upheld: violation #{violation.pk}", kind=CreditEvent.Kind.APPEAL)
        for penalty in Penalty.objects.select_for_update().filter(violation=violation, lifted_at__isnull=True) \
                .order_by("pk"):
            _penalty_lift(penalty, reason="appeal upheld", actor=actor)
        violation.status = Violation.Status.OVERTURNED
        violation.is_published = False
        violation.save(update_fields=["status", "is_published"])
        _tell(violation.creator, kind="credit.appeal_upheld", key=f"appeal.{appeal.pk}.decided",
              title=gettext_noop("Your appeal was upheld"),
              body=gettext_noop("“%(summary)s” is withdrawn: %(points)s points are back (score %(score)s) and its "
                                "penalty is lifted. %(note)s"),
              params={"summary": violation.summary, "points": deducted, "score": score, "note": note},
              link=_violation_link(violation.pk))
    else:
        _tell(violation.creator, kind="credit.appeal_rejected", key=f"appeal.{appeal.pk}.decided",
              title=gettext_noop("Your appeal was rejected"),
              body=gettext_noop("The violation “%(summary)s” stands. Reason: %(note)s"),
              params={"summary": violation.summary, "note": note}, link=_violation_link(violation.pk))
    return appeal


@transaction.atomic
def penalty_lift_due(*, penalty_id: int) -> bool:
    """Lift one penalty whose end has come (the periodic task calls this); False if not due."""
    penalty = Penalty.objects.select_for_update().select_related("creator", "violation").filter(pk=penalty_id).first()
    now = timezone.now()
    if penalty is None or penalty.lifted_at is not None or penalty.ends_at is None or penalty.ends_at > now:
        return False
    _penalty_lift(penalty, reason="ended", actor=None)
    if penalty.kind == "freeze":
        _tell(penalty.creator, kind="credit.penalty_lifted", key=f"penalty.{penalty.pk}.lifted",
              title=gettext_noop("Your commission withdrawals are open again"),
              body=gettext_noop("The freeze for “%(summary)s” ended on %(until)s."),
              params={"summary": penalty.violation.summary, "until": _fmt(penalty.ends_at)},
              link=_violation_link(penalty.violation_id))
    elif penalty.kind == "suspend":
        _tell(penalty.creator, kind="credit.penalty_lifted", key=f"penalty.{penalty.pk}.lifted",
              title=gettext_noop("A penalty has ended"),
              body=gettext_noop("The %(penalty)s for “%(summary)s” ended on %(until)s."),
              params={"penalty": _msgid(penalty.get_kind_display()), "summary": penalty.violation.summary,
                      "until": _fmt(penalty.ends_at)},
              link=_violation_link(penalty.violation_id))
    return True


def penalties_lift_due() -> int:
    """Lift every penalty whose end has passed; returns how many."""
    due = Penalty.objects.filter(lifted_at__isnull=True, ends_at__isnull=False, ends_at__lte=timezone.now())
    return sum(penalty_lift_due(penalty_id=pk) for pk in due.order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def credit_clean_restore(*, user_id: int) -> int | None:
    """Give back ``CREDIT_CLEAN_RESTORE_POINTS`` if the creator is below the maximum and had no
    deduction and no clean-period restore for ``CREDIT_CLEAN_PERIOD_DAYS``; the new score, or None."""
    from ..models import CreditAccount

    account = CreditAccount.objects.select_for_update().filter(user_id=user_id).first()
    if account is None or account.score >= credit_settings()["max"]:
        return None
    since = timezone.now() - datetime.timedelta(days=settings.CREDIT_CLEAN_PERIOD_DAYS)
    last = (CreditEvent.objects.filter(user_id=user_id)
            .filter(kind__in=[CreditEvent.Kind.VIOLATION, CreditEvent.Kind.CLEAN])
            .order_by("-created_at").values_list("created_at", flat=True).first())
    if last is not None and last > since:
        return None
    score = _change_score(user=account.user, delta=settings.CREDIT_CLEAN_RESTORE_POINTS, actor=None,
                          reason="clean period", kind=CreditEvent.Kind.CLEAN)
    _tell(account.user, kind="credit.clean_restore", key=None,
          title=gettext_noop("Credit points restored"),
          body=gettext_noop("%(days)s days without a violation: your credit score is now %(score)s."),
          params={"days": settings.CREDIT_CLEAN_PERIOD_DAYS, "score": score},
          link=reverse("creators:rules") + "?tab=credit")
    return score


def credit_clean_restore_all() -> int:
    from ..models import CreditAccount

    ids = CreditAccount.objects.filter(score__lt=credit_settings()["max"]).order_by("pk").values_list("user_id", flat=True)
    return sum(1 for user_id in ids if credit_clean_restore(user_id=user_id) is not None)


@transaction.atomic
def credit_quiz_restore(*, user: User, points: int, quiz_title: str) -> int:
    """Points for passing an academy quiz (called by the notices hook), never above the maximum."""
    return _change_score(user=user, delta=max(points, 0), actor=None, reason=f"academy quiz passed: {quiz_title}",
                         kind=CreditEvent.Kind.QUIZ)
