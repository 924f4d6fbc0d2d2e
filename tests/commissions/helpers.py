"""Building blocks of the commissions tests: a creator's attributed sale paid through the real
order services, refunds, completion and settlement moved in time."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from commissions.ledger import creator_balances, shop_balances
from commissions.models import CommissionLine
from commissions.services import settle_due
from orders import services as order_services
from orders.models import Order, OrderStatus
from tests.orders.helpers import pay, place, shop_product, shopper
from tests.showcase.helpers import creator_with_rights


def creator():
    return creator_with_rights()


def sale(creator, *, price_fen=10_000, rate_bp=2000, quantity=1, shop=None, capture=None) -> Order:
    """A shopper clicks the creator's showcase card and pays: (order, product)."""
    from showcase import services as showcase_services
    from showcase.tracking import Via

    product, (sku,) = shop_product(price_fen=price_fen, alliance_rate_bp=rate_bp, shop=shop, stock=50)
    showcase_services.showcase_item_add(owner=creator, product_id=product.pk)
    buyer = shopper()
    click = order_services.click_create(product_id=product.pk, via=Via(channel="showcase", creator_id=creator.pk),
                                        shopper=buyer)
    return pay(place(buyer, product, sku, quantity=quantity, click_id=click.id))


def refund(order, capture, **ask):
    with capture(execute=True):
        order_services.order_refund_request(order=order, actor=order.shopper, reason="退款", **ask)
        order_services.order_refund(order=order, actor=order.shop.owner)
    order.refresh_from_db()
    return order


def complete(order, capture, *, days_ago=0):
    """Ship, confirm and complete the order (``days_ago``: completed that many days ago)."""
    with capture(execute=True):
        order_services.order_ship(order=order, actor=order.shop.owner, carrier="顺丰", tracking_number="SF1")
        order_services.order_confirm(order=order, actor=order.shopper)
        Order.objects.filter(pk=order.pk).update(received_at=timezone.now() - timedelta(days=60))
        order_services.orders_complete_due()
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    if days_ago:
        from commissions.models import ShopProceeds

        line = CommissionLine.objects.filter(order_ref=f"native:{order.pk}")
        back = timedelta(days=days_ago)
        for one in line:
            CommissionLine.objects.filter(pk=one.pk).update(completed_at=one.completed_at - back,
                                                            settle_after=one.settle_after - back)
        ShopProceeds.objects.filter(order_id=order.pk).update(available_at=timezone.now() - back)
    return order


def line_of(order) -> CommissionLine | None:
    return CommissionLine.objects.filter(order_ref=f"native:{order.pk}").first()


__all__ = ["creator", "sale", "refund", "complete", "line_of", "settle_due", "creator_balances", "shop_balances"]
