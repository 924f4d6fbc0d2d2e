"""The three product-sharing rights: grant, suspend, revoke, reinstate, and the one check
every later feature calls before letting a creator use a cart."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.errors import Forbidden, InvalidInput, NotFound
from notices.models import OfficialKind
from notices.services import message_send_on_commit

from ..governance_selectors import right_block
from ..models import CartApplication, CartRight, CartRightEvent, User
from ..signals import cart_right_changed

Kind = CartRight.Kind
Status = CartRight.Status


def _msgid(label) -> str:
    """The English msgid of a lazy label, so the inbox translates it for each reader."""
    with translation.override("en"):
        return str(label)


def _fmt(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def require_cart_right(user: User, kind: str) -> CartRight:
    """Return the user's active right of ``kind`` or raise :class:`Forbidden` saying why."""
    if kind not in Kind.values:
        raise InvalidInput(_("Unknown right."), field="kind", code="unknown_right")
    blocked = right_block(user, kind)
    if blocked is not None:
        raise Forbidden(blocked[1], field="kind", code=blocked[0])
    right = CartRight.objects.get(user_id=user.pk, kind=kind)
    return right


def _change(right: CartRight, *, to: str, actor: User | None, reason: str = "",
            until: datetime.datetime | None = None) -> CartRight:
    """Move one (locked) right along the transitions table and record it."""
    current = right.effective_status()
    if right.status == Status.SUSPENDED and to == Status.ACTIVE:
        current = right.status  # a suspension that ran out is ended on the record too
    if to not in CartRight.TRANSITIONS[Status(current)]:
        raise InvalidInput(_("This right is %(from)s and cannot become %(to)s.")
                           % {"from": Status(current).label, "to": Status(to).label}, field="status", code="transition")
    from_status = right.status
    right.status = to
    right.suspended_until = until if to == Status.SUSPENDED else None
    right.reason = reason if to != Status.ACTIVE else ""
    right.save(update_fields=["status", "suspended_until", "reason", "updated_at"])
    CartRightEvent.objects.create(right=right, from_status=from_status, to_status=to,
                                  suspended_until=right.suspended_until, reason=reason, actor=actor)
    transaction.on_commit(lambda: cart_right_changed.send(sender=CartRight, right=right, from_status=from_status))
    return right


def cart_rights_grant(*, user: User, application: CartApplication | None, actor: User | None) -> list[CartRight]:
    """All three rights at once (guide: 入驻成功则直接获得3项权利)."""
    now = timezone.now()
    granted = []
    for kind in Kind.values:
        right, created = CartRight.objects.select_for_update().get_or_create(
            user=user, kind=kind, defaults={"status": Status.ACTIVE, "granted_at": now, "application": application},
        )
        if created:
            CartRightEvent.objects.create(right=right, to_status=Status.ACTIVE, actor=actor)
            transaction.on_commit(lambda r=right: cart_right_changed.send(sender=CartRight, right=r, from_status=""))
        elif right.status != Status.ACTIVE:
            right.application = application
            right.save(update_fields=["application"])
            _change(right, to=Status.ACTIVE, actor=actor)
        granted.append(right)
    return granted


def _locked(*, user: User, kind: str) -> CartRight:
    right = CartRight.objects.select_for_update().filter(user=user, kind=kind).first()
    if right is None:
        raise NotFound(_("This creator does not have that right."), field="kind", code="no_right")
    return right


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give a reason; the creator will see it."), field="reason", code="reason_required")
    return reason


def _notify(right: CartRight, title: str, body: str, params: dict) -> None:
    message_send_on_commit(
        recipient=right.user, sender_handle_or_user=OfficialKind.COMMERCE_ASSISTANT, kind=f"cart_right.{right.status}",
        title=title, body=body, params={"right": _msgid(right.get_kind_display()), **params},
        link=reverse("creators:me"),
    )


@transaction.atomic
def cart_right_suspend(*, user: User, kind: str, until: datetime.datetime, reason: str,
                       actor: User | None = None) -> CartRight:
    reason = _reason(reason)
    if until is None or until <= timezone.now():
        raise InvalidInput(_("The suspension must end in the future."), field="until", code="until_past")
    right = _change(_locked(user=user, kind=kind), to=Status.SUSPENDED, actor=actor, reason=reason, until=until)
    _notify(right, gettext_noop("Your %(right)s right is suspended"),
            gettext_noop("Your %(right)s right is suspended until %(until)s. Reason: %(reason)s"),
            {"until": _fmt(until), "reason": reason})
    return right


@transaction.atomic
def cart_right_revoke(*, user: User, kind: str, reason: str, actor: User | None = None) -> CartRight:
    reason = _reason(reason)
    right = _change(_locked(user=user, kind=kind), to=Status.REVOKED, actor=actor, reason=reason)
    _notify(right, gettext_noop("Your %(right)s right was revoked"),
            gettext_noop("Your %(right)s right was revoked. Reason: %(reason)s"), {"reason": reason})
    return right


@transaction.atomic
def cart_right_reinstate(*, user: User, kind: str, actor: User | None = None) -> CartRight:
    right = _change(_locked(user=user, kind=kind), to=Status.ACTIVE, actor=actor)
    _notify(right, gettext_noop("Your %(right)s right is active again"),
            gettext_noop("Your %(right)s right is active again."), {})
    return right
