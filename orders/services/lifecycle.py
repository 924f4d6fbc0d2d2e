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

import functools
import hashlib
import json
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from affiliates.models import Product, ProductSource, Shop, ShopProduct, ShopProductStatus, Sku
from affiliates.services.shops import shop_product_catalog_sync
from affiliates.stock_flags import (
    sku_is_sold_out,
    sku_restocked_on_commit,
    sku_sold_out_mark,
    sku_sold_out_mark_on_commit,
    sku_stock_give_back,
    sku_stock_reserve,
)
from core import pgprepared
from core.errors import Conflict, DomainError, InvalidInput, NotFound
from core.insert import insert_row, update_row
from core.money import apply_rate
from core.outbox import outbox_emit
from core.prepared import Prepared
from notices.models import OfficialKind
from notices.services import message_send, messages_send_many

from .. import conf
from ..events import ORDER_STATUS_CHANGED, announce, order_paid_facts
from ..models import (
    BACK_ACTIONS,
    TRANSITIONS,
    Address,
    Click,
    Order,
    OrderAction,
    OrderStatus,
    OrderStatusChange,
    Payment,
    PlacementKey,
)
from ..selectors import click_for_attribution

logger = logging.getLogger(__name__)

NATIVE_SOURCES = (ProductSource.SHOP, ProductSource.ALLIANCE)
FINISHED = (OrderStatus.COMPLETED, OrderStatus.REFUNDED, OrderStatus.CLOSED)


def _new_number() -> str:
    return timezone.localtime().strftime("%y%m%d") + "".join(secrets.choice("0123456789") for _ in range(12))


def _message_later(order: Order, change: OrderStatusChange) -> None:
    """The shopper hears from the shopping assistant once per status change: an outbox event
    written with the change (``order.status_changed``, one per change), which
    ``orders.receivers.on_status_changed`` turns into the 购物助手 message after commit — off the
    request, and kept until delivered."""
    outbox_emit(topic=ORDER_STATUS_CHANGED, key=f"order.change:{change.pk}", payload={
        "order_id": order.pk, "number": order.number, "title": order.title, "shopper_id": order.shopper_id,
        "change_id": change.pk, "action": change.action, "to_status": change.to_status,
    })


def _change_message(payload: dict) -> dict:
    """The 购物助手 message of one status change, as ``message_send``'s arguments."""
    action, to_status = payload["action"], payload["to_status"]
    with translation.override(None):  # the English msgid: each reader sees it in their own language
        # A move back (partial refund approved, request rejected) says what happened, not the status.
        status = str(OrderAction(action).label if action in BACK_ACTIONS else OrderStatus(to_status).label)
    return {"kind": f"order.{to_status}", "dedupe_key": f"order-change-{payload['change_id']}",
            "title": gettext_noop("Order %(number)s: %(status)s"), "body": gettext_noop("%(title)s"),
            "params": {"number": payload["number"], "title": payload["title"], "status": status},
            "link": reverse("orders:detail", args=[payload["number"]])}


def message_for_change(payload: dict) -> None:
    """The 购物助手 message of one status change (the receiver of ``order.status_changed``)."""
    message_send(recipient=get_user_model()(pk=payload["shopper_id"]),
                 sender_handle_or_user=OfficialKind.SHOPPING_ASSISTANT, **_change_message(payload))


def messages_for_changes(payloads: list[dict]) -> None:
    """``message_for_change`` of several status changes, in one statement (the worker's batches)."""
    messages_send_many(sender_handle_or_user=OfficialKind.SHOPPING_ASSISTANT, messages=[
        {"recipient_id": p["shopper_id"], **_change_message(p)} for p in payloads])


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
    from_status = order.status
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
    # One plain statement each (``core.insert``: no signals listen to orders or their history).
    if order._state.adding:  # placing: the order is written once, already in its first status
        insert_row(order)
    else:
        update_row(order, fields)
    change = OrderStatusChange(order=order, from_status=from_status, to_status=to, action=action, actor=actor,
                               note=note[:200])
    insert_row(change)
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
    found = PlacementKey.objects.filter(user=shopper, key=key).values_list("request_hash", "order_id").first()
    if found is None:
        return None
    if found[0] != fingerprint:
        raise Conflict(_("This idempotency key was already used for a different order."),
                       field="Idempotency-Key", code="idempotency_key_reused")
    return Order.objects.get(pk=found[1])


def _quantity(value) -> int:
    limit = conf.get("ORDER_MAX_QUANTITY")
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
        raise InvalidInput(_("Quantity must be a whole number from 1 to %(max)s.") % {"max": limit}, field="quantity")
    return value


def order_place(*, shopper, product_id: int, sku_id: int, quantity: int, address_id: int, click_id: str = "",
                visitor_key: str = "", idempotency_key: str = "") -> Order:
    """Place an order for ``quantity`` of one SKU and reserve the stock in the same transaction.

    The stock moves by a conditional update (``stock >= quantity``) on the SKU row, so under any
    concurrency the last unit goes to exactly one buyer and stock never goes negative. Price and
    totals come from the SKU, never from the client. With ``idempotency_key`` the same key
    returns the same order, and the key with a different body is refused (409). The key is
    looked up only when this placement cannot go ahead (its row already exists, or the stock or
    the product says no): a first placement, the usual case, pays no query for it.
    """
    quantity = _quantity(quantity)
    if sku_is_sold_out(sku_id):  # the flash sale's late buyers: answered from the cache, no query
        raise Conflict(_("This spec is sold out."), field="quantity", code="out_of_stock")
    key = (idempotency_key or "").strip()
    if len(key) > 64:
        raise InvalidInput(_("An idempotency key is at most 64 characters."), field="Idempotency-Key")
    fingerprint = _fingerprint(product=product_id, sku=sku_id, quantity=quantity, address=address_id)
    try:
        return _place(shopper=shopper, product_id=product_id, sku_id=sku_id, quantity=quantity,
                      address_id=address_id, click_id=click_id, visitor_key=visitor_key, key=key,
                      fingerprint=fingerprint)
    except (DomainError, IntegrityError):
        # The same key placed before (or concurrently): that order, whatever the stock says now.
        if key and (order := _replay(shopper, key, fingerprint)) is not None:
            return order
        raise


# What placing reads, in one query: the shopper's address, the product, and the SKU with its shop
# product and shop (each NULL when missing or not the shopper's / not native / not the product's),
# and the click the sale belongs to when the shopper names none: ``click_for_attribution``'s rule
# for a buyer known by account and visitor key (the latest of their clicks on this product within
# the window before now; a test holds the two equal). A named click id goes through that function.
_PLACE_READ = """
SELECT a.recipient, a.phone, a.region, a.detail,
       p.id, p.commission_rate_bp, p.shop_product_id,
       s.id, s.name, s.price_fen, s.stock, s.is_active,
       sp.title, sp.status, sh.id, sh.name, sh.is_active,
       c.id, c.creator_id, c.channel, c.commission_rate_bp
FROM (SELECT 1 AS one) AS x
LEFT JOIN {address} AS a ON a.id = %s AND a.user_id = %s
LEFT JOIN {product} AS p ON p.id = %s AND p.source IN (%s, %s)
LEFT JOIN {sku} AS s ON s.id = %s AND s.product_id = p.shop_product_id
LEFT JOIN {shop_product} AS sp ON sp.id = s.product_id
LEFT JOIN {shop} AS sh ON sh.id = sp.shop_id
{clicks}
"""
# The latest click of this buyer: by account, or by account or visitor key (two statements, so
# that each is planned well once for all: PostgreSQL plans it once per connection, pgprepared).
_BUYER = "k.shopper_id = %s"
_BUYER_OR_VISITOR = "(k.shopper_id = %s OR k.visitor_key = %s)"
_LAST_CLICK = """SELECT {columns} FROM {click} AS k
    WHERE k.product_id = p.id AND k.created_at > %s AND k.created_at <= %s AND {buyer}
    ORDER BY k.created_at DESC, k.id DESC LIMIT 1"""


_MAX_ID = 2**63 - 1  # ids are 64-bit: a larger (or non-positive) number names no row


@functools.cache
def _place_read_sql(vendor: str, visitor: bool) -> str:
    """``_PLACE_READ`` with its tables named as the database quotes them (once per process).
    ``visitor``: the buyer's clicks are theirs by account or by visitor key."""
    quote = connection.ops.quote_name
    click = quote(Click._meta.db_table)
    buyer = _BUYER_OR_VISITOR if visitor else _BUYER
    if vendor == "postgresql":  # (a lateral join: the plan looks the click up by the buyer's index)
        last = _LAST_CLICK.format(columns="k.id, k.creator_id, k.channel, k.commission_rate_bp", click=click,
                                  buyer=buyer)
        clicks = f"LEFT JOIN LATERAL ({last}) AS c ON true"
    else:
        clicks = f"LEFT JOIN {click} AS c ON c.id = ({_LAST_CLICK.format(columns='k.id', click=click, buyer=buyer)})"
    return _PLACE_READ.format(address=quote(Address._meta.db_table), product=quote(Product._meta.db_table),
                              sku=quote(Sku._meta.db_table), shop_product=quote(ShopProduct._meta.db_table),
                              shop=quote(Shop._meta.db_table), clicks=clicks)


def _place_read(*, shopper_id: int, address_id: int, product_id: int, sku_id: int, at, visitor_key: str = "") -> tuple:
    address_id, product_id, sku_id = (x if 0 < x <= _MAX_ID else 0 for x in map(int, (address_id, product_id, sku_id)))
    window = [connection.ops.adapt_datetimefield_value(t) for t in (at - settings.ATTRIBUTION_WINDOW, at)]
    with connection.cursor() as cursor:
        pgprepared.execute(cursor, _place_read_sql(connection.vendor, bool(visitor_key)), [
            address_id, shopper_id, product_id, *NATIVE_SOURCES, sku_id, *window, shopper_id,
            *([visitor_key] if visitor_key else [])])
        return cursor.fetchone()


def _place(*, shopper, product_id, sku_id, quantity, address_id, click_id, visitor_key, key, fingerprint):
    """One read (``_PLACE_READ``), the counter, then ``_place_reserved``'s short transaction."""
    now = timezone.now()
    (recipient, phone, region, detail, product_pk, rate_bp, shop_product_id, sku_pk, sku_name, price_fen, stock,
     sku_active, title, sp_status, shop_id, shop_name, shop_active, *last_click) = _place_read(
        shopper_id=shopper.pk, address_id=address_id, product_id=product_id, sku_id=sku_id, at=now,
        visitor_key=visitor_key)
    if recipient is None:
        raise NotFound(_("Choose one of your delivery addresses."), field="address")
    if product_pk is None or shop_product_id is None:
        raise NotFound(_("No such Douyin Shop product."), field="product")
    if sku_pk is None or not sku_active:
        raise NotFound(_("Choose one of this product's specs."), field="sku")
    if sp_status != ShopProductStatus.ON_SALE or not shop_active:
        raise Conflict(_("This product is no longer on sale."), field="product", code="off_sale")
    sku = Sku(id=sku_pk, product_id=shop_product_id, name=sku_name, price_fen=price_fen, stock=stock,
              is_active=True)
    if sku.stock < quantity:  # (as read; the UPDATE decides) — no transaction for a plain "no"
        raise _not_taken(sku, quantity)
    left = sku_stock_reserve(sku_id, quantity)
    if left is not None:  # the counter has fewer units than asked: refused without the row lock
        if not left:
            sku_sold_out_mark([sku_id])  # (checked against the row: a flag never outlives stock)
        raise Conflict(_("Only %(left)s left of this spec.") % {"left": left} if left
                       else _("This spec is sold out."), field="quantity", code="out_of_stock")
    try:
        if click_id:  # a click named by the shopper: the general rule (its buyer's later click wins)
            click = click_for_attribution(product_id=product_pk, at=now, click_id=click_id, shopper_id=shopper.pk,
                                          visitor_key=visitor_key)
        elif last_click[0] is not None:
            click = Click(id=last_click[0], creator_id=last_click[1], channel=last_click[2],
                          commission_rate_bp=last_click[3])
        else:
            click = None
        return _place_reserved(
            shopper=shopper, product_id=product_pk, product_rate_bp=rate_bp, sku=sku, title=title,
            shop_id=shop_id, shop_name=shop_name, quantity=quantity, recipient=recipient, phone=phone,
            address=f"{region} {detail}", click=click, now=now, key=key, fingerprint=fingerprint)
    except BaseException:
        sku_stock_give_back(sku_id, quantity)  # no order was written: the counter gets its units back
        raise


def _take_stock(sku: Sku, quantity: int) -> int | None:
    """THE hot row: take ``quantity`` units if the SKU still has them at the price that was read,
    in one conditional UPDATE that returns what is left (None: not taken). Its row lock is held
    from here to the commit only, because it is the transaction's last statement."""
    with connection.cursor() as cursor:
        pgprepared.execute(cursor, _take_stock_sql(), [quantity, sku.pk, quantity, sku.price_fen])
        row = cursor.fetchone()
    return None if row is None else row[0]


@functools.cache
def _take_stock_sql() -> str:
    quote = connection.ops.quote_name
    return (f"UPDATE {quote(Sku._meta.db_table)} SET {quote('stock')} = {quote('stock')} - %s "
            f"WHERE {quote('id')} = %s AND {quote('stock')} >= %s AND {quote('is_active')} "
            f"AND {quote('price_fen')} = %s RETURNING {quote('stock')}")


def _not_taken(sku: Sku, quantity: int):
    """Why ``_take_stock`` took nothing, as the error the shopper sees."""
    now = Sku.objects.filter(pk=sku.pk).values("stock", "is_active", "price_fen").first()
    if now is None or not now["is_active"]:
        return NotFound(_("Choose one of this product's specs."), field="sku")
    if now["stock"] < quantity:
        if not now["stock"]:
            sku_sold_out_mark([sku.pk])  # set, then checked against the row: a restock always wins
        return Conflict(_("Only %(left)s left of this spec.") % {"left": now["stock"]} if now["stock"]
                        else _("This spec is sold out."), field="quantity", code="out_of_stock")
    return Conflict(_("The price of this spec has just changed; check it and order again."), field="sku",
                    code="price_changed")


def _place_reserved(*, shopper, product_id, product_rate_bp, sku, title, shop_id, shop_name, quantity, recipient,
                    phone, address, click, now, key, fingerprint):
    """Reads first, without locks; then one short transaction that writes the order and takes the
    stock last (see ``_take_stock``): buyers of a hot SKU queue on its row for an UPDATE and a
    COMMIT, not for the whole placement. A used idempotency key fails the key's insert, before
    the stock is touched, and the caller answers with that key's order."""
    total = sku.price_fen * quantity
    creator_id = click.creator_id if click else None
    # The rate is the one in force when the shopper clicked (locked on the click).
    rate_bp = click.commission_rate_bp if click and click.commission_rate_bp is not None \
        else product_rate_bp
    with transaction.atomic():
        order = Order(
            status="", number=_new_number(), shopper=shopper, shop_id=shop_id, product_id=product_id, sku_id=sku.pk,
            title=title,
            sku_name=sku.name, unit_price_fen=sku.price_fen, quantity=quantity, total_fen=total,
            recipient=recipient, phone=phone, address=address,
            click=click, creator_id=creator_id, channel=click.channel if creator_id else "",
            commission_rate_bp=rate_bp if creator_id else 0,
            commission_fen=apply_rate(total, rate_bp) if creator_id else 0,
            pay_deadline=now + conf.get("ORDER_PAYMENT_TIMEOUT"),
        )
        _move(order, OrderAction.PLACE, actor=shopper)  # written here, already pending payment
        if key:
            insert_row(PlacementKey(user=shopper, key=key, request_hash=fingerprint, order=order))
        left = _take_stock(sku, quantity)
        if left is None:
            raise _not_taken(sku, quantity)  # the order above rolls back with it
        if left == 0:
            sku_sold_out_mark_on_commit(sku.pk)
            _catalog_sync_later(sku)
    order.placed_shop_name = shop_name  # for the placement's answer, without loading the shop
    return order


def sales_volume_add(*, sku_id: int, delta: int) -> None:
    """The product's sales count (销量, shown on its cards and used to sort the pool) follows paid
    orders: up by the quantity on payment (the ``order.paid`` event's receiver, after commit), down
    when a refund is approved; the shop product and its pool rows (小店 and 精选联盟) move together."""
    shop_product_sql, pool_sql = _sales_volume_sql()
    with connection.cursor() as cursor:
        pgprepared.execute(cursor, shop_product_sql, [delta, delta, sku_id])
        pgprepared.execute(cursor, pool_sql, [delta, delta, *NATIVE_SOURCES, sku_id])


@functools.cache
def _sales_volume_sql() -> tuple[str, str]:
    """``sales_volume_add``'s two statements (text built once; every paid order runs them): the
    count moves by the delta and never below zero, on the shop product that owns the SKU and on
    its pool rows (matched by public id)."""
    quote = connection.ops.quote_name
    sku, shop_product, product = (quote(m._meta.db_table) for m in (Sku, ShopProduct, Product))
    volume = quote("sales_volume")
    new = f"CASE WHEN {volume} + %s < 0 THEN 0 ELSE {volume} + %s END"
    owner = (f"(SELECT sp.{quote('public_id')} FROM {sku} AS s JOIN {shop_product} AS sp "
             f"ON sp.{quote('id')} = s.{quote('product_id')} WHERE s.{quote('id')} = %s)")
    return (f"UPDATE {shop_product} SET {volume} = {new} WHERE {quote('public_id')} = {owner}",
            f"UPDATE {product} SET {volume} = {new} WHERE {quote('source')} IN (%s, %s) "
            f"AND {quote('external_id')} = {owner}")


def order_locked_for_payment(order_id: int) -> Order:
    """The order with its row locked (its row alone: ``of``), and what the order.paid event says of
    its shop and product read along (``order_paid_facts``): marking it paid costs no other read."""
    return (Order.objects.select_for_update(of=("self",)).annotate(**order_paid_facts())
            .get(pk=order_id))


_PAYMENT_WITH_ORDER_LOCKED = Prepared(
    lambda number, gateway: (Payment.objects.select_related("order").select_for_update(of=("order",))
                             .annotate(**order_paid_facts(via="order__")).filter(number=number, gateway=gateway)
                             .order_by("pk")[:1]), str, str)


def payment_with_order_locked(*, number: str, gateway: str) -> Payment | None:
    """The payment of trade ``number`` at ``gateway`` with its order, the order's row locked (its
    row alone) and ``order_paid_facts`` read along: what the notify needs, in one query (prepared:
    compiled once per connection, ``core.prepared``). Call it inside the notify's transaction."""
    payment = _PAYMENT_WITH_ORDER_LOCKED.first(number, gateway)
    if payment is not None:
        for name in order_paid_facts():
            setattr(payment.order, name, getattr(payment, name))
    return payment


def order_mark_paid(*, order: Order, locked: bool = False) -> Order:
    """The gateway confirmed payment (called by the payment notify, under its idempotency key).
    ``locked``: the caller holds the order's row lock in its transaction already, taken with
    ``payment_with_order_locked`` (the notify) or ``order_locked_for_payment``."""
    if not locked:
        with transaction.atomic():
            return order_mark_paid(order=order_locked_for_payment(order.pk), locked=True)
    _move(order, OrderAction.PAY)  # its order.paid event moves the sales count (orders.receivers)
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


def close_at_deadline_schedule(*, order_id: int) -> None:
    """Queue the close of a just-placed order for its payment deadline itself (a Celery ETA), so a
    flash sale's unpaid units come back the moment their time is up; the minute sweep closes
    anything this missed. Called by the ``order.status_changed`` receiver of the placement, in
    the worker: the buyer's request publishes one message (the outbox hand-over), not two."""
    from django.conf import settings

    from ..tasks import close_if_due_task

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # eager Celery (make run, tests) cannot wait for an ETA: the minute sweep closes it
    order = _UNPAID_ORDER.first(order_id)
    if order is not None:
        deadline = order.pay_deadline
        transaction.on_commit(lambda: close_if_due_task.apply_async(args=[order_id], eta=deadline))


_UNPAID_ORDER = Prepared(lambda pk: Order.objects.filter(pk=pk, status=OrderStatus.PENDING_PAYMENT)
                         .only("pk", "pay_deadline").order_by("pk")[:1], int)


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
