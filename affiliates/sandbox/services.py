"""Sandbox writes: orders placed through promotion links, their life on the outside shop,
and the links/tokens the imitated gateways hand out. Tests call these directly."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.money import apply_rate

from . import catalog
from .models import SandboxLink, SandboxOrder

Status = SandboxOrder.Status

# Order number lengths as the sources print them.
_ORDER_DIGITS = {"taobao": 19, "jd": 12, "kaola": 16, "vip": 17, "suning": 11}


class SandboxError(ValueError):
    """A sandbox helper was asked something the imitated shop would not do."""


def _new_order_id(source: str) -> str:
    digits = _ORDER_DIGITS[source]
    return str(10 ** (digits - 1) + secrets.randbelow(9 * 10 ** (digits - 1)))


@transaction.atomic
def sandbox_order_create(*, source: str, external_id: str, click_id: str = "", quantity: int = 1,
                         status: str = Status.PAID, at: datetime | None = None,
                         order_id: str | None = None, line_id: str | None = None) -> SandboxOrder:
    """A shopper buys ``quantity`` of a catalog item after following a promotion link.

    ``status`` may be unpaid or paid (later steps go through the transition helpers);
    ``at`` sets every timestamp (defaults to now); a given ``order_id`` adds a line to it.
    """
    if status not in (Status.UNPAID, Status.PAID):
        raise SandboxError("a new order is unpaid or paid")
    if quantity < 1:
        raise SandboxError("quantity must be at least 1")
    item = catalog.find(source, external_id)
    if item is None:
        raise SandboxError(f"no item {external_id!r} in the {source} catalog")
    at = at or timezone.now()
    paid = item.price_fen * quantity
    for _ in range(5):
        oid = order_id or _new_order_id(source)
        lid = line_id or (oid if order_id is None else _new_order_id(source))
        try:
            with transaction.atomic():
                return SandboxOrder.objects.create(
                    source=source, order_id=oid, line_id=lid, product_external_id=item.external_id,
                    title=item.title, quantity=quantity, unit_price_fen=item.price_fen,
                    paid_amount_fen=paid, commission_rate_bp=item.commission_rate_bp,
                    estimated_commission_fen=apply_rate(paid, item.commission_rate_bp),
                    click_id=click_id or "", status=status, created_at=at,
                    paid_at=at if status == Status.PAID else None, updated_at=at,
                )
        except IntegrityError:
            if order_id and line_id:
                raise
    raise SandboxError("could not draw a free order number")  # pragma: no cover


def _move(order: SandboxOrder, to: str, at: datetime | None, **fields) -> SandboxOrder:
    order = SandboxOrder.objects.select_for_update().get(pk=order.pk)
    if to not in SandboxOrder.TRANSITIONS[Status(order.status)]:
        raise SandboxError(f"a {order.status} order cannot become {to}")
    at = at or timezone.now()
    order.status = to
    order.updated_at = at
    for name, value in fields.items():
        setattr(order, name, at if value is None else value)
    order.save()
    return order


@transaction.atomic
def sandbox_order_pay(*, order: SandboxOrder, at: datetime | None = None) -> SandboxOrder:
    return _move(order, Status.PAID, at, paid_at=None)


@transaction.atomic
def sandbox_order_finish(*, order: SandboxOrder, at: datetime | None = None) -> SandboxOrder:
    """The shopper confirmed receipt (确认收货)."""
    return _move(order, Status.FINISHED, at, finished_at=None)


@transaction.atomic
def sandbox_order_settle(*, order: SandboxOrder, at: datetime | None = None) -> SandboxOrder:
    """The source settles the commission (结算)."""
    return _move(order, Status.SETTLED, at, settled_at=None,
                 settled_commission_fen=order.estimated_commission_fen)


@transaction.atomic
def sandbox_order_refund(*, order: SandboxOrder, at: datetime | None = None) -> SandboxOrder:
    """Closed, cancelled or refunded: no commission."""
    return _move(order, Status.REFUNDED, at, refunded_at=None, settled_commission_fen=0)


ORDER_ACTIONS = {
    "pay": sandbox_order_pay, "finish": sandbox_order_finish,
    "settle": sandbox_order_settle, "refund": sandbox_order_refund,
}


def sandbox_link_create(*, source: str, target_url: str, external_id: str, click_id: str = "",
                        length: int = 11) -> SandboxLink:
    """A stored token/short code for ``target_url`` (the same URL always gets the same code)."""
    digest = hashlib.sha256(f"{source}:{target_url}".encode()).digest()
    code = catalog.base62(int.from_bytes(digest[:12], "big"), length)[-length:]
    link, _ = SandboxLink.objects.get_or_create(
        source=source, code=code,
        defaults={"target_url": target_url, "external_id": external_id, "click_id": click_id or ""},
    )
    return link
