"""The orders demo: a shopper with orders in each stage, made through the real verbs; idempotent."""
import io

import pytest

from orders import demo
from orders.models import Order, OrderStatus

from .helpers import shop_product

pytestmark = pytest.mark.django_db


def test_demo_orders_cover_the_lifecycle_and_seeding_twice_adds_nothing():
    for _ in range(5):
        shop_product(stock=5)
    out = io.StringIO()
    demo.seed(out)
    statuses = sorted(Order.objects.values_list("status", flat=True))
    assert statuses == sorted([OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, OrderStatus.SHIPPED,
                               OrderStatus.RECEIVED, OrderStatus.REFUND_REQUESTED])
    assert all(o.history.exists() for o in Order.objects.all())
    demo.seed(out)
    assert Order.objects.count() == 5 and "nothing added" in out.getvalue()
