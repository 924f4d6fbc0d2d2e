"""Operators read orders, payments, notifies and external orders in admin; statuses stay read-only
(only the lifecycle services move them), and the admin actions call those services."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Order, OrderStatus
from tests.factories.creators import UserFactory

from .helpers import pay, place, shop_product, shopper

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["order", "payment", "paymentnotify", "externalorder"])
def test_admin_lists_load_with_filters(operator, model):
    product, (sku,) = shop_product()
    order = pay(place(shopper(), product, sku))
    assert operator.get(reverse(f"admin:orders_{model}_changelist")).status_code == 200
    assert operator.get(reverse("admin:orders_order_change", args=[order.pk])).status_code == 200


def test_the_close_unpaid_action_closes_only_overdue_orders(operator, settings):
    settings.ORDER_PAYMENT_TIMEOUT = timedelta(seconds=0)
    product, (sku,) = shop_product()
    order = place(shopper(), product, sku)
    Order.objects.filter(pk=order.pk).update(pay_deadline=timezone.now() - timedelta(minutes=1))
    operator.post(reverse("admin:orders_order_changelist"),
                  {"action": "close_unpaid_overdue", "_selected_action": [order.pk]})
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CLOSED
