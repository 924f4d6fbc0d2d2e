"""Reads of the orders app."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from core.prepared import Prepared

from .models import Click


def click_for_attribution(
    *,
    product_id: int,
    at: datetime.datetime,
    click_id: str = "",
    shopper_id: int | None = None,
    visitor_key: str = "",
) -> Click | None:
    """THE attribution rule: which click a sale of ``product_id`` made at ``at`` belongs to.

    **Last click within the window.** Among the clicks on this product made by this buyer in
    the ``settings.ATTRIBUTION_WINDOW`` before ``at`` (and not after it), the latest one wins;
    its creator, channel and video or live session get the sale. No such click: the sale is
    not attributed (``None``).

    Who "this buyer" is:

    * a native order (小店, 精选联盟) knows the shopper's account and session: pass
      ``shopper_id`` and/or ``visitor_key`` (a click made before logging in still counts);
    * an external order report (JD, Kaola, Vipshop, Suning, Taobao) carries only our click id
      in the source's sub-id field: pass ``click_id``. The buyer is whoever made that click —
      their later click on the same product inside the window still wins (last click).

    A click id that is unknown, for another product, or older than the window attributes
    nothing on its own.
    """
    window_start = at - settings.ATTRIBUTION_WINDOW
    clicks = Click.objects.filter(product_id=product_id, created_at__gt=window_start, created_at__lte=at)
    who = Q()
    if click_id:
        origin = clicks.filter(pk=click_id).values("shopper_id", "visitor_key").first()
        if origin is None:
            return None
        if origin["shopper_id"]:
            who |= Q(shopper_id=origin["shopper_id"])
        if origin["visitor_key"]:
            who |= Q(visitor_key=origin["visitor_key"])
        who |= Q(pk=click_id)
    if shopper_id:
        who |= Q(shopper_id=shopper_id)
    if visitor_key:
        who |= Q(visitor_key=visitor_key)
    if not who:
        return None
    return clicks.filter(who).order_by("-created_at", "-pk").first()


# --- orders -------------------------------------------------------------------------------------

def shopper_order(*, user, number: str, related: bool = True):
    """The shopper's own order or None (someone else's order is as good as missing: 404).
    ``related``: with its shop and product (what its page shows); a verb that only moves the
    order (pay, cancel) asks without."""
    if not related:  # the verbs' lookup (pay, cancel): prepared, compiled once per connection
        return _ORDER_OF_SHOPPER.first(number, user.pk)
    from .models import Order

    return Order.objects.filter(number=number, shopper=user).select_related("shop", "product").first()


def _order_of_shopper(number, shopper_id):
    from .models import Order

    return Order.objects.filter(number=number, shopper_id=shopper_id).order_by("pk")[:1]


_ORDER_OF_SHOPPER = Prepared(_order_of_shopper, str, int)


def merchant_order(*, shop, number: str):
    from .models import Order

    return Order.objects.filter(number=number, shop=shop).select_related("shopper", "product").first()


# 我的-订单 tabs: (key, statuses). External orders map to the same statuses.
def order_tabs():
    from django.utils.translation import gettext_lazy as _

    from .models import OrderStatus as S

    return [
        ("", _("All"), None),
        ("unpaid", _("To pay"), [S.PENDING_PAYMENT]),
        ("to_ship", _("To ship"), [S.PAID]),
        ("to_receive", _("To receive"), [S.SHIPPED]),
        ("done", _("Completed"), [S.RECEIVED, S.COMPLETED]),
        ("after_sales", _("Refunds"), [S.REFUND_REQUESTED, S.REFUNDED]),
    ]


def consent_active(*, user) -> bool:
    from .models import OrderDisplayConsent

    return OrderDisplayConsent.objects.filter(user=user, revoked_at__isnull=True).exists()


SHOWN_EXTERNAL_SOURCES = ("jd", "kaola", "vip", "suning")  # Taobao orders are never shown here


def shopper_orders(*, user, statuses=None, limit: int = 50) -> list:
    """Native orders, plus JD/Kaola/Vipshop/Suning orders once the shopper authorised showing them;
    newest first. Each item: ``kind`` ("native"/"external") and the row."""
    from .models import ExternalOrder, Order

    native = Order.objects.filter(shopper=user).select_related("product").order_by("-created_at", "-id")
    if statuses:
        native = native.filter(status__in=statuses)
    items = [("native", o.created_at, o) for o in native[:limit]]
    if consent_active(user=user):
        ext = ExternalOrder.objects.filter(shopper=user, source__in=SHOWN_EXTERNAL_SOURCES).select_related("product")
        if statuses:
            ext = ext.filter(status__in=statuses)
        items += [("external", o.ordered_at, o) for o in ext.order_by("-ordered_at", "-id")[:limit]]
    items.sort(key=lambda t: t[1], reverse=True)
    return [{"kind": k, "order": o} for k, _at, o in items[:limit]]


def refund_allowance(*, order) -> dict:
    """What the shopper may still ask back: {"open": bool, "left_fen", "left_units", "after_sale_until"}.
    Open while paid, shipped or received, and after completion within ``AFTER_SALE_DAYS``."""
    from django.utils import timezone

    from .models import OrderStatus
    from .services.aftersale import order_refund_totals

    refunded_fen, refunded_units = order_refund_totals(order)
    left_fen, left_units = order.total_fen - refunded_fen, max(order.quantity - refunded_units, 0)
    until = None
    if order.status == OrderStatus.COMPLETED and order.finished_at:
        until = order.finished_at + datetime.timedelta(days=getattr(settings, "AFTER_SALE_DAYS", 15))
    statuses = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.RECEIVED)
    is_open = left_fen > 0 and (order.status in statuses or (until is not None and timezone.now() <= until))
    return {"open": is_open, "left_fen": left_fen, "left_units": left_units, "after_sale_until": until}


# --- payments and refunds of a day (reconciliation against the gateway's statement) ------------

@dataclass(frozen=True)
class PaymentRow:
    number: str  # our trade number at the gateway
    gateway: str
    gateway_trade_no: str
    amount_fen: int
    paid_at: datetime.datetime
    order_number: str


@dataclass(frozen=True)
class RefundRow:
    number: str  # our refund number at the gateway
    payment_number: str
    gateway: str
    gateway_refund_no: str
    amount_fen: int
    refunded_at: datetime.datetime
    order_number: str


def _bill_day(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    from .payments import BILL_TZ

    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=BILL_TZ)
    return start, start + datetime.timedelta(days=1)


def payments_for_day(day: datetime.date, *, gateway: str | None = None) -> list[PaymentRow]:
    """Payments marked paid on ``day`` (Beijing time, the gateways' bill day), oldest first."""
    from .models import Payment, PaymentStatus

    start, end = _bill_day(day)
    qs = Payment.objects.filter(status=PaymentStatus.PAID, paid_at__gte=start, paid_at__lt=end)
    if gateway:
        qs = qs.filter(gateway=gateway)
    return [PaymentRow(number=n, gateway=g, gateway_trade_no=t or "", amount_fen=a, paid_at=at, order_number=o)
            for n, g, t, a, at, o in qs.order_by("paid_at", "id").values_list(
                "number", "gateway", "gateway_trade_no", "amount_fen", "paid_at", "order__number")]


def refunds_for_day(day: datetime.date, *, gateway: str | None = None) -> list[RefundRow]:
    """Refunds the gateway paid back on ``day`` (Beijing time), oldest first."""
    from .models import Refund, RefundStatus

    start, end = _bill_day(day)
    qs = Refund.objects.filter(status=RefundStatus.SUCCEEDED, refunded_at__gte=start, refunded_at__lt=end,
                               payment__isnull=False)
    if gateway:
        qs = qs.filter(payment__gateway=gateway)
    return [RefundRow(number=n, payment_number=p, gateway=g, gateway_refund_no=r, amount_fen=a, refunded_at=at,
                      order_number=o)
            for n, p, g, r, a, at, o in qs.order_by("refunded_at", "id").values_list(
                "number", "payment__number", "payment__gateway", "gateway_refund_no", "amount_fen", "refunded_at",
                "order__number")]
