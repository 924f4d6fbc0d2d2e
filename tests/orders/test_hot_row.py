"""Placing reads without locks and takes the stock last, in one conditional UPDATE: what the
shopper was shown (price, stock) is what the UPDATE insists on, so a change that lands between the
read and the write refuses the order and leaves nothing written."""
import pytest

from affiliates.models import Sku
from core.errors import Conflict, NotFound
from orders.models import Order, OrderStatusChange
from orders.services import lifecycle

from .helpers import place, shop_product, shopper

pytestmark = pytest.mark.django_db


def _between_read_and_write(monkeypatch, change):
    """Run ``change`` after placing has read the SKU and before its transaction."""
    real = lifecycle._place_reserved

    def reserved(**kwargs):
        change()
        return real(**kwargs)

    monkeypatch.setattr(lifecycle, "_place_reserved", reserved)


def test_a_price_changed_after_it_was_read_refuses_the_order_and_writes_nothing(monkeypatch):
    """(Mutation tried: dropping ``price_fen = %s`` from ``_take_stock`` sells at the old price.)"""
    product, (sku,) = shop_product(stock=5, price_fen=1000)
    _between_read_and_write(monkeypatch, lambda: Sku.objects.filter(pk=sku.pk).update(price_fen=1500))
    with pytest.raises(Conflict) as refused:
        place(shopper(), product, sku)
    assert refused.value.code == "price_changed" and refused.value.field == "sku"
    assert Sku.objects.get(pk=sku.pk).stock == 5
    assert not Order.objects.exists() and not OrderStatusChange.objects.exists()


def test_the_last_unit_taken_after_it_was_read_refuses_the_order_and_writes_nothing(monkeypatch):
    product, (sku,) = shop_product(stock=1)
    _between_read_and_write(monkeypatch, lambda: Sku.objects.filter(pk=sku.pk).update(stock=0))
    with pytest.raises(Conflict) as refused:
        place(shopper(), product, sku)
    assert refused.value.code == "out_of_stock"
    assert Sku.objects.get(pk=sku.pk).stock == 0 and not Order.objects.exists()


def test_a_spec_switched_off_after_it_was_read_refuses_the_order(monkeypatch):
    product, (sku,) = shop_product(stock=3)
    _between_read_and_write(monkeypatch, lambda: Sku.objects.filter(pk=sku.pk).update(is_active=False))
    with pytest.raises(NotFound):
        place(shopper(), product, sku)
    assert Sku.objects.get(pk=sku.pk).stock == 3 and not Order.objects.exists()
