"""External orders (JD, Kaola, Vipshop, Suning, Taobao) from the sources' order reports.

``order_reports_stored`` (affiliates.sync) hands over report row ids after they are stored;
``external_orders_upsert`` keeps one ``ExternalOrder`` per (source, order id, line id), maps the
source's status to our lifecycle, attaches the creator and channel of the click the report
carries (the attribution rule: ``selectors.click_for_attribution``) and the shopper who made
that click. A mapped status change writes a history row and — when the shopper authorised
third-party orders and the source is not Taobao — a 购物助手 message, once per change.
Idempotent: receiving the same rows again changes nothing.
"""
from __future__ import annotations

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from affiliates.models import Product
from affiliates.sync.models import OrderReport, OrderReportStatus
from notices.models import OfficialKind
from notices.services import message_send

from ..models import Click, ExternalOrder, ExternalOrderStatusChange, OrderDisplayConsent, OrderStatus
from ..selectors import SHOWN_EXTERNAL_SOURCES, click_for_attribution

logger = logging.getLogger(__name__)

STATUS_MAP = {
    OrderReportStatus.UNPAID: OrderStatus.PENDING_PAYMENT,
    OrderReportStatus.PAID: OrderStatus.PAID,
    OrderReportStatus.CONFIRMED: OrderStatus.RECEIVED,
    OrderReportStatus.SETTLED: OrderStatus.COMPLETED,
    OrderReportStatus.INVALID: OrderStatus.CLOSED,
}


def _message_later(order: ExternalOrder, change: ExternalOrderStatusChange) -> None:
    if order.shopper_id is None or order.source not in SHOWN_EXTERNAL_SOURCES:
        return
    if not OrderDisplayConsent.objects.filter(user_id=order.shopper_id, revoked_at__isnull=True).exists():
        return
    with translation.override(None):
        status = str(OrderStatus(change.to_status).label)
    kwargs = dict(
        recipient=order.shopper, sender_handle_or_user=OfficialKind.SHOPPING_ASSISTANT,
        kind=f"external_order.{change.to_status}", dedupe_key=f"external-change-{change.pk}",
        title=gettext_noop("Order %(number)s: %(status)s"), body=gettext_noop("%(title)s"),
        params={"number": order.order_id, "title": order.title, "status": status},
        link=reverse("orders:external_detail", args=[order.pk]),
    )
    transaction.on_commit(lambda: message_send(**kwargs))


def external_orders_upsert(*, report_ids: list[int]) -> int:
    """Create or update the external orders of these report rows; returns how many changed."""
    changed = 0
    for report in OrderReport.objects.filter(pk__in=report_ids).order_by("pk"):
        with transaction.atomic():
            changed += _upsert_one(report)
    return changed


def _upsert_one(report: OrderReport) -> int:
    status = STATUS_MAP.get(report.status, OrderStatus.CLOSED)
    order = (ExternalOrder.objects.select_for_update()
             .filter(source=report.source, order_id=report.order_id, line_id=report.line_id).first())
    if order is None:
        product = Product.objects.filter(source=report.source, external_id=report.product_external_id).first()
        origin = Click.objects.filter(pk=report.click_id).first() if report.click_id else None
        click = None
        if product is not None and origin is not None:
            click = click_for_attribution(product_id=product.pk, at=report.ordered_at, click_id=report.click_id)
        # The shopper is whoever made the click the report carries (logged in at the time).
        shopper_id = (origin.shopper_id if origin else None) or (click.shopper_id if click else None)
        order = ExternalOrder.objects.create(
            source=report.source, order_id=report.order_id, line_id=report.line_id, report=report,
            shopper_id=shopper_id,
            click=click, creator_id=click.creator_id if click else None,
            channel=click.channel if click and click.creator_id else "", product=product, title=report.title,
            quantity=report.quantity, paid_amount_fen=report.paid_amount_fen, status=status,
            source_status=report.raw_status, ordered_at=report.ordered_at,
        )
        change = ExternalOrderStatusChange.objects.create(order=order, from_status="", to_status=status)
        _message_later(order, change)
        return 1
    if order.status == status and order.paid_amount_fen == report.paid_amount_fen:
        return 0
    previous = order.status
    order.status, order.paid_amount_fen, order.source_status = status, report.paid_amount_fen, report.raw_status
    order.quantity, order.report = report.quantity, report
    order.save(update_fields=["status", "paid_amount_fen", "source_status", "quantity", "report", "updated_at"])
    if previous != status:
        change = ExternalOrderStatusChange.objects.create(order=order, from_status=previous, to_status=status)
        _message_later(order, change)
    return 1


def on_order_reports_stored(sender, source, created_ids, updated_ids, redelivery=False, **kwargs) -> None:
    """Receiver of ``affiliates.sync.signals.order_reports_stored`` (connected in ``apps.ready``)."""
    external_orders_upsert(report_ids=[*created_ids, *updated_ids])
