"""Refunds that match the money: an amount or some units, before and after shipping, several
per order up to what was paid (the last one refunds the order), after-sale refunds within
AFTER_SALE_DAYS, stock back for units refunded before shipping, and each success announced once."""
from datetime import timedelta

import pytest
from django.utils import timezone

from affiliates.models import Sku
from core.errors import Conflict, InvalidInput
from core.models import OutboxEvent
from orders import services
from orders.models import OrderStatus, Refund, RefundStatus

from .helpers import pay, place, shop_product, shopper

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(django_capture_on_commit_callbacks):
    product, (sku,) = shop_product(stock=10, price_fen=1000)
    with django_capture_on_commit_callbacks(execute=True):
        order = pay(place(shopper(), product, sku, quantity=4))
    return order


def _refund(order, capture, **ask):
    with capture(execute=True):
        services.order_refund_request(order=order, actor=order.shopper, reason="部分退款", **ask)
        services.order_refund(order=order, actor=order.shop.owner)
    order.refresh_from_db()
    return Refund.objects.filter(order=order).order_by("-pk").first()


def _stock(order):
    return Sku.objects.get(pk=order.sku_id).stock


def test_a_partial_amount_refund_sends_that_amount_and_the_order_goes_back_to_where_it_was(
        paid, django_capture_on_commit_callbacks):
    refund = _refund(paid, django_capture_on_commit_callbacks, amount="12.50")
    assert (refund.amount_fen, refund.quantity, refund.status) == (1250, 0, RefundStatus.SUCCEEDED)
    assert paid.status == OrderStatus.PAID
    assert _stock(paid) == 6  # an amount gives no units back


def test_units_refunded_before_shipping_go_back_in_stock(paid, django_capture_on_commit_callbacks):
    refund = _refund(paid, django_capture_on_commit_callbacks, quantity=1)
    assert (refund.amount_fen, refund.quantity, refund.restocked) == (1000, 1, 1)
    assert _stock(paid) == 7 and paid.status == OrderStatus.PAID


def test_units_refunded_after_shipping_do_not_come_back_in_stock(paid, django_capture_on_commit_callbacks):
    services.order_ship(order=paid, actor=paid.shop.owner, carrier="顺丰", tracking_number="SF1")
    refund = _refund(paid, django_capture_on_commit_callbacks, quantity=2)
    assert (refund.amount_fen, refund.restocked) == (2000, 0)
    assert _stock(paid) == 6 and paid.status == OrderStatus.SHIPPED


def test_partial_refunds_add_up_to_the_paid_amount_and_the_last_one_refunds_the_order(
        paid, django_capture_on_commit_callbacks):
    _refund(paid, django_capture_on_commit_callbacks, quantity=1)
    _refund(paid, django_capture_on_commit_callbacks, amount="5")
    last = _refund(paid, django_capture_on_commit_callbacks)  # the rest
    assert last.amount_fen == 4000 - 1000 - 500
    assert paid.status == OrderStatus.REFUNDED
    assert sum(Refund.objects.filter(order=paid).values_list("amount_fen", flat=True)) == paid.total_fen
    assert _stock(paid) == 10  # every unit back: the goods never left
    with pytest.raises(Conflict):
        services.order_refund_request(order=paid, actor=paid.shopper, reason="再退")


def test_a_refund_above_what_is_left_is_refused_naming_the_amount(paid, django_capture_on_commit_callbacks):
    _refund(paid, django_capture_on_commit_callbacks, amount="30")
    for bad in ("10.01", "0", "-1", "abc", "1.234"):
        with pytest.raises(InvalidInput) as caught:
            services.order_refund_request(order=paid, actor=paid.shopper, reason="多退", amount=bad)
        assert caught.value.field == "amount"
    with pytest.raises(InvalidInput) as caught:
        services.order_refund_request(order=paid, actor=paid.shopper, reason="多退", quantity=5)
    assert caught.value.field == "quantity"
    with pytest.raises(InvalidInput) as caught:
        services.order_refund_request(order=paid, actor=paid.shopper, reason="都要", amount="1", quantity=1)
    assert caught.value.field == "amount"
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID and Refund.objects.filter(order=paid).count() == 1


def test_an_after_sale_refund_after_completion_keeps_the_order_completed(paid, django_capture_on_commit_callbacks):
    services.order_ship(order=paid, actor=paid.shop.owner, carrier="顺丰", tracking_number="SF2")
    services.order_confirm(order=paid, actor=paid.shopper)
    services.orders_complete_due(now=timezone.now() + timedelta(days=30))
    paid.refresh_from_db()
    finished = paid.finished_at
    refund = _refund(paid, django_capture_on_commit_callbacks, amount="8")
    assert refund.after_completion and refund.status == RefundStatus.SUCCEEDED
    assert paid.status == OrderStatus.COMPLETED and paid.finished_at == finished
    event = OutboxEvent.objects.get(key=f"refund.succeeded:{refund.pk}")
    assert event.payload["after_completion"] is True


def test_no_after_sale_refund_once_the_after_sale_days_are_over(paid, settings):
    settings.AFTER_SALE_DAYS = 15
    services.order_ship(order=paid, actor=paid.shop.owner, carrier="顺丰", tracking_number="SF3")
    services.order_confirm(order=paid, actor=paid.shopper)
    services.orders_complete_due(now=timezone.now() + timedelta(days=30))
    type(paid).objects.filter(pk=paid.pk).update(finished_at=timezone.now() - timedelta(days=16))
    with pytest.raises(Conflict) as caught:
        services.order_refund_request(order=paid, actor=paid.shopper, reason="太晚了")
    assert caught.value.code == "after_sale_over"


def test_each_refund_that_succeeds_is_announced_once_with_the_cumulative_total(
        paid, django_capture_on_commit_callbacks):
    first = _refund(paid, django_capture_on_commit_callbacks, quantity=1)
    second = _refund(paid, django_capture_on_commit_callbacks, amount="3")
    with django_capture_on_commit_callbacks(execute=True):
        services.refund_execute(refund_id=second.pk)  # again: nothing new
    events = OutboxEvent.objects.filter(topic="order.refund_succeeded").order_by("pk")
    assert [e.key for e in events] == [f"refund.succeeded:{first.pk}", f"refund.succeeded:{second.pk}"]
    payload = events[1].payload
    assert (payload["amount_fen"], payload["quantity"], payload["refunded_total_fen"], payload["paid_total_fen"]) == (
        300, 0, 1300, 4000)
    assert payload["refund_number"] == second.number and payload["succeeded_at"].endswith("Z")


def test_no_refund_event_before_the_gateway_confirms(paid):
    services.order_refund_request(order=paid, actor=paid.shopper, reason="不要了")
    services.order_refund(order=paid, actor=paid.shop.owner)  # gateway call not run (no commit)
    assert not OutboxEvent.objects.filter(topic="order.refund_succeeded").exists()


def test_the_shopper_hears_from_the_shopping_assistant_that_a_partial_refund_was_approved(
        paid, django_capture_on_commit_callbacks):
    from django.utils import translation

    from notices.models import InboxMessage

    refund = _refund(paid, django_capture_on_commit_callbacks, amount="2")
    messages = InboxMessage.objects.filter(recipient=paid.shopper).order_by("pk")
    with translation.override("zh-hans"):
        titles = [m.display_title for m in messages]
        bodies = [m.display_body for m in messages if m.kind == "order.refund_paid"]
    assert any("商家同意部分退款" in t for t in titles)
    assert len(bodies) == 1 and "¥2.00" in bodies[0]
    assert refund.status == RefundStatus.SUCCEEDED
