"""Product sharing applications (商品分享功能申请): submit, approve, reject."""
from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.errors import Conflict, Forbidden, InvalidInput
from notices.models import OfficialKind
from notices.services import message_send_on_commit

from ..models import CartApplication, CartApplicationEvent, User
from ..selectors import Eligibility, eligibility_for
from ..signals import cart_application_reviewed, cart_application_submitted
from .rights import cart_rights_grant

Status = CartApplication.Status


class NotEligible(InvalidInput):
    """Refused because criteria fail; the API body lists them under ``error.criteria``."""

    default_code = "not_eligible"

    def __init__(self, eligibility: Eligibility):
        self.eligibility = eligibility
        items = "; ".join(
            f"{force_str(c.label)} {c.value}/{c.threshold}" if c.is_count else force_str(c.label)
            for c in eligibility.failing
        )
        super().__init__(_("Not eligible for product sharing yet: %(items)s.") % {"items": items}, field="eligibility")

    def as_dict(self) -> dict:
        body = super().as_dict()
        body["error"]["criteria"] = [c.as_dict() for c in self.eligibility.failing]
        return body


def _transition(application: CartApplication, *, to: str, actor: User | None, note: str = "") -> None:
    if to not in CartApplication.TRANSITIONS[Status(application.status)]:
        raise Conflict(_("This application is already %(status)s.") % {"status": application.get_status_display()},
                       field="status", code="transition")
    from_status = application.status
    application.status = to
    CartApplicationEvent.objects.create(application=application, from_status=from_status, to_status=to,
                                        actor=actor, note=note)


def _open_conflict(open_app: CartApplication) -> Conflict:
    if open_app.status == Status.APPROVED:
        return Conflict(_("Product sharing is already open for your account."), field="application",
                        code="already_approved")
    return Conflict(_("Your application is under review; you cannot submit another."), field="application",
                    code="already_pending")


def cart_application_submit(*, applicant: User, entry_point: str) -> CartApplication:
    """Re-check eligibility on the server, store its snapshot, and queue the application for review.

    Advertiser accounts apply under the same rule (guide: 广告主符合此条件也可以开通).
    """
    if entry_point not in CartApplication.EntryPoint.values:
        raise InvalidInput(_("Unknown entry point."), field="entry_point", code="invalid_choice")
    if applicant.is_official:
        raise Forbidden(_("Official accounts cannot apply for product sharing."), field="applicant")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=applicant.pk).first()  # one submission at a time per applicant
        open_app = CartApplication.objects.filter(applicant=applicant, status__in=CartApplication.OPEN_STATUSES).first()
        if open_app is not None:
            raise _open_conflict(open_app)
        eligibility = eligibility_for(applicant)
        if not eligibility.passed:
            raise NotEligible(eligibility)
        try:
            with transaction.atomic():
                application = CartApplication.objects.create(
                    applicant=applicant, entry_point=entry_point, is_advertiser=applicant.is_advertiser,
                    eligibility_snapshot=eligibility.snapshot(), submitted_at=timezone.now(),
                )
        except IntegrityError:  # the partial unique constraint: another open application won the race
            raise _open_conflict(CartApplication.objects.filter(
                applicant=applicant, status__in=CartApplication.OPEN_STATUSES).first() or CartApplication())
        CartApplicationEvent.objects.create(application=application, to_status=Status.PENDING, actor=applicant,
                                            note=entry_point)
        transaction.on_commit(lambda: cart_application_submitted.send(sender=CartApplication, application=application))
        if settings.CART_APPLICATION_AUTO_APPROVE and eligibility.passed:
            application = _approve(application, reviewer=None, auto=True)
    return application


def _lock(application: CartApplication) -> CartApplication:
    return CartApplication.objects.select_for_update().select_related("applicant").get(pk=application.pk)


def _approve(application: CartApplication, *, reviewer: User | None, auto: bool = False) -> CartApplication:
    application = _lock(application)
    _transition(application, to=Status.APPROVED, actor=reviewer, note="auto" if auto else "")
    application.reviewed_at = timezone.now()
    application.reviewed_by = reviewer
    application.auto_approved = auto
    application.save(update_fields=["status", "reviewed_at", "reviewed_by", "auto_approved"])
    cart_rights_grant(user=application.applicant, application=application, actor=reviewer)
    message_send_on_commit(
        recipient=application.applicant, sender_handle_or_user=OfficialKind.COMMERCE_ASSISTANT,
        kind="cart_application.approved", dedupe_key=f"cart_application:{application.pk}",
        title=gettext_noop("Product sharing is open"),
        body=gettext_noop("Congratulations! Your product sharing application has been approved. You now have "
                          "the showcase, the video cart and the live cart."),
        link=reverse("creators:me"),
    )
    transaction.on_commit(lambda: cart_application_reviewed.send(sender=CartApplication, application=application))
    return application


@transaction.atomic
def cart_application_approve(*, application: CartApplication, reviewer: User | None) -> CartApplication:
    """Approve and grant the three rights at once; the commerce assistant tells the applicant."""
    return _approve(application, reviewer=reviewer)


@transaction.atomic
def cart_application_reject(*, application: CartApplication, reviewer: User | None, reason: str) -> CartApplication:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("A reason is required to reject an application; the applicant will see it."),
                           field="reason", code="reason_required")
    application = _lock(application)
    _transition(application, to=Status.REJECTED, actor=reviewer, note=reason)
    application.reviewed_at = timezone.now()
    application.reviewed_by = reviewer
    application.reject_reason = reason
    application.save(update_fields=["status", "reviewed_at", "reviewed_by", "reject_reason"])
    message_send_on_commit(
        recipient=application.applicant, sender_handle_or_user=OfficialKind.COMMERCE_ASSISTANT,
        kind="cart_application.rejected", dedupe_key=f"cart_application:{application.pk}",
        title=gettext_noop("Product sharing application not approved"),
        body=gettext_noop("Your product sharing application was not approved.\nReason: %(reason)s\n"
                          "You can apply again once this is resolved."),
        params={"reason": reason}, link=reverse("creators:apply"),
    )
    transaction.on_commit(lambda: cart_application_reviewed.send(sender=CartApplication, application=application))
    return application
