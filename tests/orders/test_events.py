"""What the orders room announces through the outbox, in the transaction of the change, with
the payloads the commissions room codes against; and the rate locked on the click."""
import datetime

import pytest
from django.utils import timezone

from core.models import OutboxEvent
from orders import services
from orders.models import Order

from .helpers import pay, place, shop_product, shopper

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator():
    from tests.showcase.helpers import creator_with_rights

    return creator_with_rights()


def _clicked(creator, product, user):
    from showcase import services as showcase_services
    from showcase.tracking import Via

    showcase_services.showcase_item_add(owner=creator, product_id=product.pk)
    return services.click_create(product_id=product.pk, via=Via(channel="showcase", creator_id=creator.pk),
                                 shopper=user)


def test_a_paid_order_announces_order_paid_with_the_contract_payload(creator):
    product, (sku,) = shop_product(price_fen=2000, alliance_rate_bp=1500)
    user = shopper()
    click = _clicked(creator, product, user)
    order = pay(place(user, product, sku, quantity=2, click_id=click.id))
    event = OutboxEvent.objects.get(topic="order.paid")
    assert event.key == f"order.paid:{order.pk}"
    assert event.payload == {
        "order_id": order.pk, "number": order.number, "shop_id": order.shop_id,
        "shop_owner_id": order.shop.owner_id, "product_id": product.pk, "sku_id": sku.pk, "source": "alliance",
        "creator_id": creator.pk, "channel": "showcase", "click_id": click.id, "commission_rate_bp": 1500,
        "quantity": 2, "unit_price_fen": 2000, "total_fen": 4000,
        "paid_at": order.paid_at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
    }


def test_a_rate_change_after_the_click_does_not_change_that_orders_commission(creator):
    product, (sku,) = shop_product(price_fen=10000, alliance_rate_bp=1500)
    user = shopper()
    click = _clicked(creator, product, user)
    assert click.commission_rate_bp == 1500
    type(product).objects.filter(pk=product.pk).update(commission_rate_bp=3000)
    order = pay(place(user, product, sku, click_id=click.id))
    assert (order.commission_rate_bp, order.commission_fen) == (1500, 1500)
    assert OutboxEvent.objects.get(key=f"order.paid:{order.pk}").payload["commission_rate_bp"] == 1500


def test_an_order_without_a_click_earns_the_products_rate_and_names_no_creator():
    product, (sku,) = shop_product(price_fen=1000)
    order = pay(place(shopper(), product, sku))
    payload = OutboxEvent.objects.get(key=f"order.paid:{order.pk}").payload
    assert (payload["creator_id"], payload["click_id"], payload["source"]) == (None, "", "shop")
    assert order.commission_fen == 0


def test_completion_and_closing_are_announced_once(django_capture_on_commit_callbacks):
    from datetime import timedelta

    product, (sku,) = shop_product(price_fen=1000)
    done = pay(place(shopper(), product, sku))
    services.order_ship(order=done, actor=done.shop.owner, carrier="顺丰", tracking_number="SF9")
    services.order_confirm(order=done, actor=done.shopper)
    services.orders_complete_due(now=timezone.now() + timedelta(days=30))
    services.orders_complete_due(now=timezone.now() + timedelta(days=31))
    done.refresh_from_db()
    completed = OutboxEvent.objects.get(topic="order.completed")
    assert completed.key == f"order.completed:{done.pk}" and completed.payload["number"] == done.number
    user = shopper()
    cancelled = place(user, product, sku)
    services.order_cancel(order=cancelled, actor=user)
    closed = OutboxEvent.objects.get(topic="order.closed")
    assert closed.payload["order_id"] == cancelled.pk and closed.payload["reason"] == "cancel"


def test_a_status_change_that_rolls_back_announces_nothing():
    product, (sku,) = shop_product(price_fen=1000)
    order = place(shopper(), product, sku)
    from django.db import transaction

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            services.order_cancel(order=order, actor=order.shopper)
            raise RuntimeError
    assert not OutboxEvent.objects.filter(topic="order.closed").exists()
    assert Order.objects.get(pk=order.pk).status == "pending_payment"
