"""The native order lifecycle as a handful of verbs. Each one: its transaction, its lock at the top,
one call of ``_move`` that checks the transitions table, writes the history row and queues the
shopper's 购物助手 message after commit.

``order_place`` → pending payment; ``order_mark_paid`` (the payment notify) → paid;
``order_ship`` (merchant) → shipped; ``order_confirm`` (shopper, or ``orders_auto_confirm``) →
received; ``orders_complete_due`` → completed; ``order_cancel`` and ``orders_close_unpaid``
(timeout) → closed, stock back. Refund requests and decisions: ``services/aftersale.py``.
``_move`` also writes the change's outbox events (``orders/events.py``).
"""
from __future__ import annotations

import hashlib
import json
import logging
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Subquery
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from affiliates.models import Product, ProductSource, ShopProduct, ShopProductStatus, Sku
from affiliates.services.shops import shop_product_catalog_sync
from affiliates.stock_flags import (
    sku_is_sold_out,
    sku_restocked_on_commit,
    sku_sold_out_mark,
    sku_sold_out_mark_on_commit,
    sku_stock_give_back,
    sku_stock_reserve,
)
from core.errors import Conflict, InvalidInput, NotFound
from core.money import apply_rate
from notices.models import OfficialKind
from notices.services import message_send

from .. import conf
from ..events import announce
from ..models import (
    BACK_ACTIONS,
    TRANSITIONS,
    Address,
    Order,
    OrderAction,
    OrderStatus,
    OrderStatusChange,
    PlacementKey,
)
from ..selectors import click_for_attribution

logger = logging.getLogger(__name__)

NATIVE_SOURCES = (ProductSource.SHOP, ProductSource.ALLIANCE)
FINISHED = (OrderStatus.COMPLETED, OrderStatus.REFUNDED, OrderStatus.CLOSED)


def _new_number() -> str:
    return timezone.localtime().strftime("%y%m%d") + "".join(secrets.choice("0123456789") for _ in range(12))


def _message_later(order: Order, change: OrderStatusChange) -> None:
    """The shopper hears from the shopping assistant once per status change, after commit."""
    with translation.override(None):  # the English msgid: each reader sees it in their own language
        # A move back (partial refund approved, request rejected) says what happened, not the status.
        status = str(OrderAction(change.action).label if change.action in BACK_ACTIONS
                     else OrderStatus(change.to_status).label)
    params = {"number": order.number, "title": order.title, "status": status}
    kwargs = dict(
        recipient=order.shopper, sender_handle_or_user=OfficialKind.SHOPPING_ASSISTANT,
        kind=f"order.{change.to_status}", dedupe_key=f"order-change-{change.pk}",
        title=gettext_noop("Order %(number)s: %(status)s"), body=gettext_noop("%(title)s"), params=params,
        link=reverse("orders:detail", args=[order.number]),
    )
    transaction.on_commit(lambda: message_send(**kwargs))


def _move(order: Order, action: str, *, actor=None, note: str = "") -> OrderStatusChange:
    """THE one place an order's status changes: checked against ``TRANSITIONS``, recorded in the
    history, announced to the shopper. ``order`` must be locked by the caller."""
    key = (order.status, action)
    if key not in TRANSITIONS:
        raise Conflict(
            _("An order that is “%(status)s” does not allow this step: %(action)s.") % {
                "status": OrderStatus(order.status).label if order.status else "-", "action": OrderAction(action).label},
            field="status", code="transition_refused")
    to = TRANSITIONS[key] or order.refund_from
    now = timezone.now()
    change = OrderStatusChange.objects.create(order=order, from_status=order.status, to_status=to, action=action,
                                              actor=actor, note=note[:200])
    order.status = to
    fields = ["status"]
    stamp = {OrderStatus.PAID: "paid_at", OrderStatus.SHIPPED: "shipped_at", OrderStatus.RECEIVED: "received_at"}
    back = action in BACK_ACTIONS
    if to in stamp and not back:
        setattr(order, stamp[to], now)
        fields.append(stamp[to])
    if to in FINISHED and not (back and order.finished_at):
        order.finished_at = now
        fields.append("finished_at")
    order.save(update_fields=fields)
    _message_later(order, change)
    announce(order, action)  # the outbox events of this change, in the same transaction
    return change


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("shopper").get(pk=order.pk)


def _catalog_sync_later(sku: Sku) -> None:
    """Pool availability follows stock: re-mirror when a SKU runs out or comes back."""
    shop_product_id = sku.product_id
    transaction.on_commit(lambda: shop_product_catalog_sync(shop_product=ShopProduct(pk=shop_product_id)))


def _release_stock(order: Order) -> None:
    sku = Sku.objects.select_for_update().get(pk=order.sku_id)
    Sku.objects.filter(pk=sku.pk).update(stock=F("stock") + order.quantity)
    sku_restocked_on_commit(sku.pk)
    if sku.stock == 0:
        _catalog_sync_later(sku)


def _fingerprint(**body) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def _replay(shopper, key: str, fingerprint: str) -> Order | None:
    found = PlacementKey.objects.filter(user=shopper, key=key).select_related("order").first()
    if found is None:
        return None
    if found.request_hash != fingerprint:
        raise Conflict(_("This idempotency key was already used for a different order."),
                       field="Idempotency-Key", code="idempotency_key_reused")
    return found.order


def _quantity(value) -> int:
    limit = conf.get("ORDER_MAX_QUANTITY")
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
        raise InvalidInput(_("Quantity must be a whole number from 1 to %(max)s.") % {"max": limit}, field="quantity")
    return value


def order_place(*, shopper, product_id: int, sku_id: int, quantity: int, address_id: int, click_id: str = "",
                visitor_key: str = "", idempotency_key: str = "") -> Order:
    """Place an order for ``quantity`` of one SKU and reserve the stock in the same transaction.

    The stock moves by a conditional update (``stock >= quantity``) on the locked SKU row, so
    under any concurrency the last unit goes to exactly one buyer and stock never goes negative.
    Price and totals come from the SKU, never from the client. With ``idempotency_key`` the same
    key returns the same order, and the key with a different body is refused (409).
    """
    quantity = _quantity(quantity)
    if sku_is_sold_out(sku_id):  # the flash sale's late buyers: answered from the cache, no query
        raise Conflict(_("This spec is sold out."), field="quantity", code="out_of_stock")
    key = (idempotency_key or "").strip()
    if len(key) > 64:
        raise InvalidInput(_("An idempotency key is at most 64 characters."), field="Idempotency-Key")
    fingerprint = _fingerprint(product=product_id, sku=sku_id, quantity=quantity, address=address_id)
    if key and (order := _replay(shopper, key, fingerprint)) is not None:
        return order
    address = Address.objects.filter(pk=address_id, user=shopper).first()
    if address is None:
        raise NotFound(_("Choose one of your delivery addresses."), field="address")
    product = Product.objects.filter(pk=product_id, source__in=NATIVE_SOURCES).select_related("shop_product").first()
    if product is None or product.shop_product is None:
        raise NotFound(_("No such Douyin Shop product."), field="product")
    left = sku_stock_reserve(sku_id, quantity)
    if left is not None:  # the counter has fewer units than asked: refused without the row lock
        if not left:
            sku_sold_out_mark([sku_id])  # (checked against the row: a flag never outlives stock)
        raise Conflict(_("Only %(left)s left of this spec.") % {"left": left} if left
                       else _("This spec is sold out."), field="quantity", code="out_of_stock")
    try:
        return _place_reserved(shopper=shopper, product=product, sku_id=sku_id, quantity=quantity,
                               address=address, click_id=click_id, visitor_key=visitor_key, key=key,
                               fingerprint=fingerprint)
    except BaseException:
        sku_stock_give_back(sku_id, quantity)  # no order was written: the counter gets its units back
        raise


def _place_reserved(*, shopper, product, sku_id, quantity, address, click_id, visitor_key, key, fingerprint):
    try:
        with transaction.atomic():
            sku = (Sku.objects.select_for_update().select_related("product__shop")
                   .filter(pk=sku_id, product_id=product.shop_product_id).first())
            if sku is None or not sku.is_active:
                raise NotFound(_("Choose one of this product's specs."), field="sku")
            sp = sku.product
            if sp.status != ShopProductStatus.ON_SALE or not sp.shop.is_active:
                raise Conflict(_("This product is no longer on sale."), field="product", code="off_sale")
            if not Sku.objects.filter(pk=sku.pk, stock__gte=quantity).update(stock=F("stock") - quantity):
                if not sku.stock:
                    sku_sold_out_mark([sku.pk])  # read under the row lock, which a restock waits for
                raise Conflict(_("Only %(left)s left of this spec.") % {"left": sku.stock} if sku.stock
                               else _("This spec is sold out."), field="quantity", code="out_of_stock")
            if sku.stock == quantity:
                sku_sold_out_mark_on_commit(sku.pk)
                _catalog_sync_later(sku)
            now = timezone.now()
            click = click_for_attribution(product_id=product.pk, at=now, click_id=click_id, shopper_id=shopper.pk,
                                          visitor_key=visitor_key)
            total = sku.price_fen * quantity
            creator_id = click.creator_id if click else None
            # The rate is the one in force when the shopper clicked (locked on the click).
            rate_bp = click.commission_rate_bp if click and click.commission_rate_bp is not None \
                else product.commission_rate_bp
            order = Order.objects.create(
                number=_new_number(), shopper=shopper, shop=sp.shop, product=product, sku=sku, title=sp.title,
                sku_name=sku.name, unit_price_fen=sku.price_fen, quantity=quantity, total_fen=total,
                recipient=address.recipient, phone=address.phone, address=f"{address.region} {address.detail}",
                click=click, creator_id=creator_id, channel=click.channel if creator_id else "",
                commission_rate_bp=rate_bp if creator_id else 0,
                commission_fen=apply_rate(total, rate_bp) if creator_id else 0,
                pay_deadline=now + conf.get("ORDER_PAYMENT_TIMEOUT"),
            )
            order.status = ""
            _move(order, OrderAction.PLACE, actor=shopper)
            _close_at_deadline(order)
            if key:
                PlacementKey.objects.create(user=shopper, key=key, request_hash=fingerprint, order=order)
    except IntegrityError:
        if key and (order := _replay(shopper, key, fingerprint)) is not None:
            sku_stock_give_back(sku_id, quantity)  # this attempt rolled back, its units included
            return order  # the same key placed concurrently
        raise
    return order


def _sales_volume_add(order: Order, delta: int) -> None:
    """The product's sales count (销量, shown on its cards and used to sort the pool) follows paid
    orders: up by the quantity on payment, down on a refund; the shop product and its pool rows
    (小店 and 精选联盟) move together."""
    public_id = Subquery(Sku.objects.filter(pk=order.sku_id).values("product__public_id")[:1])
    volume = Greatest(F("sales_volume") + delta, 0)
    ShopProduct.objects.filter(public_id=public_id).update(sales_volume=volume)
    Product.objects.filter(source__in=NATIVE_SOURCES, external_id=public_id).update(sales_volume=volume)


@transaction.atomic
def order_mark_paid(*, order: Order) -> Order:
    """The gateway confirmed payment (called by the payment notify, under its idempotency key)."""
    order = _locked(order)
    _move(order, OrderAction.PAY)
    _sales_volume_add(order, order.quantity)
    return order


@transaction.atomic
def order_cancel(*, order: Order, actor) -> Order:
    """The shopper cancels an unpaid order; its stock goes back."""
    order = _locked(order)
    _move(order, OrderAction.CANCEL, actor=actor)
    _release_stock(order)
    return order


def orders_close_unpaid(*, now=None) -> int:
    """Close every order still unpaid after the payment time limit and give its stock back."""
    now = now or timezone.now()
    closed = 0
    due = list(Order.objects.filter(status=OrderStatus.PENDING_PAYMENT, pay_deadline__lte=now)
               .order_by("pk").values_list("pk", flat=True)[:1000])
    for pk in due:
        closed += order_close_if_due(order_id=pk, now=now)
    return closed


def order_close_if_due(*, order_id: int, now=None) -> bool:
    """Close one order if it is still unpaid past its payment deadline and give its stock back.

    Queued for the deadline itself when the order is placed (so a flash sale's unpaid units come
    back the moment their time is up), and called by the minute sweep for anything that task
    missed; paid, cancelled or not yet due orders are left as they are."""
    now = now or timezone.now()
    with transaction.atomic():
        order = (Order.objects.select_for_update().select_related("shopper")
                 .filter(pk=order_id, status=OrderStatus.PENDING_PAYMENT, pay_deadline__lte=now).first())
        if order is None:
            return False
        _move(order, OrderAction.TIMEOUT)
        _release_stock(order)
    return True


def _close_at_deadline(order: Order) -> None:
    from django.conf import settings

    from ..tasks import close_if_due_task

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # eager Celery (make run, tests) cannot wait for an ETA: the minute sweep closes it

    order_id, deadline = order.pk, order.pay_deadline
    transaction.on_commit(lambda: close_if_due_task.apply_async(args=[order_id], eta=deadline))


@transaction.atomic
def order_ship(*, order: Order, actor, carrier: str, tracking_number: str) -> Order:
    """The merchant ships: carrier and tracking number are required."""
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier or len(carrier) > 30:
        raise InvalidInput(_("Enter the carrier (at most 30 characters)."), field="carrier")
    if not tracking_number or len(tracking_number) > 40 or not tracking_number.replace("-", "").isalnum():
        raise InvalidInput(_("Enter the tracking number: letters and digits, at most 40."), field="tracking_number")
    order = _locked(order)
    order.carrier, order.tracking_number = carrier, tracking_number
    order.save(update_fields=["carrier", "tracking_number"])
    _move(order, OrderAction.SHIP, actor=actor, note=f"{carrier} {tracking_number}")
    return order


@transaction.atomic
def order_confirm(*, order: Order, actor=None) -> Order:
    """The shopper confirms receipt (``actor`` None: auto-confirmed after the waiting period)."""
    order = _locked(order)
    _move(order, OrderAction.CONFIRM if actor else OrderAction.AUTO_CONFIRM, actor=actor)
    return order


def orders_auto_confirm(*, now=None) -> int:
    """Shipped orders not confirmed within ``ORDER_AUTO_CONFIRM_DAYS`` count as received."""
    cutoff = (now or timezone.now()) - timedelta(days=conf.get("ORDER_AUTO_CONFIRM_DAYS"))
    return _sweep(Order.objects.filter(status=OrderStatus.SHIPPED, shipped_at__lte=cutoff), OrderAction.AUTO_CONFIRM)


def orders_complete_due(*, now=None) -> int:
    """Received orders complete when the after-sales window (``ORDER_COMPLETE_AFTER_DAYS``) is over."""
    cutoff = (now or timezone.now()) - timedelta(days=conf.get("ORDER_COMPLETE_AFTER_DAYS"))
    return _sweep(Order.objects.filter(status=OrderStatus.RECEIVED, received_at__lte=cutoff), OrderAction.COMPLETE)


def _sweep(qs, action: str) -> int:
    done = 0
    for pk in list(qs.order_by("pk").values_list("pk", flat=True)[:1000]):
        with transaction.atomic():
            order = Order.objects.select_for_update().select_related("shopper").get(pk=pk)
            if (order.status, action) in TRANSITIONS:
                _move(order, action)
                done += 1
    return done
