"""Demo data of the commissions room: a demo creator's income moving estimated → settled →
(withdrawn, with the payouts room), a clawback after an after-sale refund, and a shop's funds.

Everything goes through the real services: orders are placed and paid through the sandbox
gateway's signed notify, shipped, confirmed, completed and refunded by the orders room; the
commissions room hears each through the outbox. Completion is dated back in this room's own
rows (the holding period is days long) so settlement can run now. Idempotent: nothing is added
when the demo buyer exists."""
from __future__ import annotations

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from core.models import OutboxEvent
from core.outbox import outbox_dispatch

from .ledger import creator_balances, shop_balances
from .models import CommissionLine, ShopProceeds
from .services import settle_due

BUYER = "demo_income_buyer"


def _drain() -> None:
    """Hand every waiting outbox event over now (inside this transaction), as the worker would."""
    for event_id in OutboxEvent.objects.filter(delivered_at__isnull=True).order_by("pk").values_list("pk", flat=True):
        outbox_dispatch(event_id=event_id)


def _date_back(order, days: int) -> None:
    """This sale completed ``days`` ago as far as this room's holding period is concerned."""
    back = datetime.timedelta(days=days)
    for line in CommissionLine.objects.filter(order_ref=f"native:{order.pk}", completed_at__isnull=False):
        CommissionLine.objects.filter(pk=line.pk).update(completed_at=line.completed_at - back,
                                                         settle_after=line.settle_after - back)
    ShopProceeds.objects.filter(order_id=order.pk, available_at__isnull=False).update(
        available_at=timezone.now() - back)


def seed(out) -> None:
    User = get_user_model()
    if User.objects.filter(handle=BUYER).exists():
        out.write("Commissions: the demo income exists, nothing added.")
        return
    _seed_income(out)
    from .reconcile.demo_hook import reconcile_demo

    reconcile_demo(out=out)  # it says what it found (one mismatch) on ``out``


def _seed_income(out) -> None:
    from affiliates.models import ProductSource, Sku
    from orders import services as orders
    from orders.conf import get as orders_conf
    from orders.demo import _pay
    from orders.models import Refund, RefundStatus
    from orders.services.refunds import refund_execute
    from showcase.models import ShowcaseItem
    from showcase.tracking import Via

    User = get_user_model()
    # Another shop's products: a creator's own shop products earn no commission (proceeds instead).
    alliance = ShowcaseItem.objects.filter(product__source=ProductSource.ALLIANCE, product__available=True,
                                           product__shop_product__isnull=False).exclude(
        product__shop_product__shop__owner=F("showcase__owner"))
    first = alliance.order_by("showcase__owner__handle").first()
    creator = first.showcase.owner if first else None
    items = list(alliance.filter(showcase__owner=creator).select_related("product")[:3]) if creator else []
    if not items:
        out.write("Commissions: no alliance product in a demo showcase, nothing added.")
        return
    buyer = User.objects.create_user(handle=BUYER, nickname="爱囤货的小李", password=secrets.token_urlsafe(12))
    address = orders.address_create(user=buyer, recipient="李小红", phone="13812345678",
                                    region="上海市 上海市 徐汇区", detail="漕溪北路 88 号 1201")
    made = []
    for i in range(6):
        product = items[i % len(items)].product
        sku = Sku.objects.filter(product_id=product.shop_product_id, is_active=True, stock__gt=1).first()
        if sku is None:
            continue
        click = orders.click_create(product_id=product.pk, via=Via(channel="showcase", creator_id=creator.pk),
                                    shopper=buyer)
        order = orders.order_place(shopper=buyer, product_id=product.pk, sku_id=sku.pk, quantity=1 + i % 2,
                                   address_id=address.pk, click_id=click.id)
        _pay(order)
        made.append(order)
    if len(made) < 4:
        out.write("Commissions: not enough stock for the demo income.")
        return
    # Four orders are shipped, received and completed; three of them long enough ago to settle.
    for order in made[:4]:
        orders.order_ship(order=order, actor=order.shop.owner, carrier="中通快递",
                          tracking_number=f"ZT{secrets.randbelow(10**10):010d}")
        orders.order_confirm(order=order, actor=buyer)
    later = timezone.now() + datetime.timedelta(days=orders_conf("ORDER_COMPLETE_AFTER_DAYS") + 1)
    orders.orders_complete_due(now=later)
    _drain()
    for order in made[:3]:
        _date_back(order, days=20)
    settled = settle_due()
    # The last paid order gets a partial refund before settling (the line shrinks pro rata) …
    for order in made[:1] + made[-1:]:
        order.refresh_from_db()
        ask = {"amount": "5"} if order is made[-1] else {}
        orders.order_refund_request(order=order, actor=buyer, reason="商品与描述不符" if ask else "七天无理由退货", **ask)
        orders.order_refund(order=order, actor=order.shop.owner)
    # … and the first, already settled, is refunded after sale: its commission is clawed back.
    for refund in Refund.objects.filter(order__in=[made[0], made[-1]], status=RefundStatus.PENDING):
        refund_execute(refund_id=refund.pk)
    _drain()
    balances = creator_balances(creator.pk)
    shop = shop_balances(made[0].shop_id)
    out.write(f"Commissions: @{creator.handle} has {CommissionLine.objects.filter(creator=creator).count()} commission lines "
              f"({settled} settled, one clawed back): ¥{balances.available_fen / 100:.2f} available, "
              f"¥{balances.pending_fen / 100:.2f} estimated; shop {made[0].shop_id} has "
              f"¥{shop.available_fen / 100:.2f} available proceeds. See /commissions/income/ and /merchant/funds/.")
