"""The order lifecycle: only the transitions table moves an order, every change is recorded and
messaged to the shopper once (after commit), stock returns only where it should."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from affiliates.models import Sku
from core.errors import Conflict, InvalidInput
from notices.models import InboxMessage
from notices.services import official_account
from orders import services
from orders.models import TRANSITIONS, Order, OrderAction, OrderStatus
from showcase.stats.models import DailyStat, SaleRecord
from tests.factories.affiliates import ShopFactory
from tests.factories.creators import UserFactory

from .helpers import login, pay, place, shop_product, shopper

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid():
    product, (sku,) = shop_product(stock=5, price_fen=1000)
    return pay(place(shopper(), product, sku, quantity=2))


def ship(order):
    return services.order_ship(order=order, actor=order.shop.owner, carrier="顺丰速运", tracking_number="SF1234567890")


def test_merchant_ships_with_carrier_and_tracking_then_shopper_confirms(paid):
    order = ship(paid)
    assert (order.status, order.carrier, order.tracking_number) == ("shipped", "顺丰速运", "SF1234567890")
    order = services.order_confirm(order=order, actor=order.shopper)
    assert order.status == OrderStatus.RECEIVED and order.received_at
    assert [h.action for h in order.history.all()] == ["place", "pay", "ship", "confirm"]


@pytest.mark.parametrize("carrier,tracking,field", [("", "SF1", "carrier"), ("顺丰", "", "tracking_number"),
                                                    ("顺丰", "SF 1<script>", "tracking_number")])
def test_shipping_needs_a_carrier_and_a_tracking_number(paid, carrier, tracking, field):
    with pytest.raises(InvalidInput) as exc:
        services.order_ship(order=paid, actor=paid.shop.owner, carrier=carrier, tracking_number=tracking)
    assert exc.value.field == field
    assert Order.objects.get(pk=paid.pk).status == OrderStatus.PAID


def test_shipped_orders_are_confirmed_automatically_after_the_waiting_days(paid, settings):
    settings.ORDER_AUTO_CONFIRM_DAYS = 10
    order = ship(paid)
    assert services.orders_auto_confirm(now=timezone.now() + timedelta(days=9)) == 0
    assert services.orders_auto_confirm(now=timezone.now() + timedelta(days=11)) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED and order.history.last().action == "auto_confirm"
    assert services.orders_complete_due(now=timezone.now() + timedelta(days=30)) == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.COMPLETED


VERBS = {
    OrderAction.PAY: lambda o: services.order_mark_paid(order=o),
    OrderAction.CANCEL: lambda o: services.order_cancel(order=o, actor=o.shopper),
    OrderAction.SHIP: ship,
    OrderAction.CONFIRM: lambda o: services.order_confirm(order=o, actor=o.shopper),
    OrderAction.REFUND_REQUEST: lambda o: services.order_refund_request(order=o, actor=o.shopper, reason="不想要了"),
    OrderAction.REFUND_APPROVE: lambda o: services.order_refund(order=o, actor=o.shop.owner),
    OrderAction.REFUND_REJECT: lambda o: services.order_refund_reject(order=o, actor=o.shop.owner),
}


@pytest.mark.parametrize("status", OrderStatus.values)
@pytest.mark.parametrize("action", list(VERBS))
def test_transitions_outside_the_table_are_refused_and_change_nothing(status, action):
    if (status, action) in TRANSITIONS:
        pytest.skip("allowed by the table")
    product, (sku,) = shop_product(stock=5)
    order = place(shopper(), product, sku)
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    with pytest.raises(Conflict) as exc:
        VERBS[action](order)
    assert exc.value.code == "transition_refused"
    order.refresh_from_db()
    assert order.status == status and order.history.count() == 1 and Sku.objects.get(pk=sku.pk).stock == 4


def test_a_refund_before_shipping_returns_the_stock(paid):
    services.order_refund_request(order=paid, actor=paid.shopper, reason="拍错了")
    order = services.order_refund(order=paid, actor=paid.shop.owner)
    assert order.status == OrderStatus.REFUNDED and Sku.objects.get(pk=order.sku_id).stock == 5


def test_a_paid_order_adds_its_quantity_to_the_sales_count_and_a_refund_takes_it_back(
        django_capture_on_commit_callbacks):
    from affiliates.models import Product, ShopProduct

    product, (sku,) = shop_product(stock=9, alliance_rate_bp=1500)
    sp = ShopProduct.objects.get(pk=sku.product_id)
    ShopProduct.objects.filter(pk=sp.pk).update(sales_volume=40)
    Product.objects.filter(external_id=sp.public_id).update(sales_volume=40)
    buyer = shopper()
    unpaid = place(buyer, product, sku, quantity=1)
    with django_capture_on_commit_callbacks(execute=True):  # the order.paid event's receiver counts it
        order = pay(place(buyer, product, sku, quantity=3))

    def counts():
        return (ShopProduct.objects.get(pk=sp.pk).sales_volume,
                sorted(Product.objects.filter(external_id=sp.public_id).values_list("source", "sales_volume")))

    assert counts() == (43, [("alliance", 43), ("shop", 43)])  # the unpaid order does not count
    services.order_cancel(order=unpaid, actor=buyer)
    services.order_refund_request(order=order, actor=buyer, reason="拍错了")
    services.order_refund(order=order, actor=order.shop.owner)
    assert counts() == (40, [("alliance", 40), ("shop", 40)])


def test_a_refund_after_shipping_does_not_return_the_stock(paid):
    order = ship(paid)
    services.order_refund_request(order=order, actor=order.shopper, reason="质量问题")
    order = services.order_refund(order=order, actor=order.shop.owner)
    assert order.status == OrderStatus.REFUNDED and Sku.objects.get(pk=order.sku_id).stock == 3


def test_a_rejected_refund_returns_the_order_to_where_it_was(paid):
    order = ship(paid)
    services.order_refund_request(order=order, actor=order.shopper, reason="不想要了")
    order = services.order_refund_reject(order=order, actor=order.shop.owner)
    assert order.status == OrderStatus.SHIPPED and Sku.objects.get(pk=order.sku_id).stock == 3


def test_every_status_change_messages_the_shopper_once_after_commit(django_capture_on_commit_callbacks):
    product, (sku,) = shop_product(stock=5)
    with django_capture_on_commit_callbacks(execute=True):
        order = pay(place(shopper(), product, sku))
        ship(order)
    assistant = official_account("shopping_assistant")
    msgs = InboxMessage.objects.filter(recipient=order.shopper, sender=assistant).order_by("pk")
    assert [m.kind for m in msgs] == ["order.pending_payment", "order.paid", "order.shipped"]
    assert msgs.last().link == reverse("orders:detail", args=[order.number])
    assert order.number in msgs.last().display_title and "已发货" in msgs.last().display_title
    # The same change delivered again (a retried callback) makes no second message.
    from orders.services.lifecycle import _message_later

    with django_capture_on_commit_callbacks(execute=True):
        _message_later(order, order.history.last())
    assert msgs.count() == 3


def test_no_message_is_sent_when_the_change_rolls_back(django_capture_on_commit_callbacks):
    product, (sku,) = shop_product(stock=1)
    with django_capture_on_commit_callbacks(execute=True):
        place(shopper(), product, sku)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        place(shopper(), product, sku)
    assert InboxMessage.objects.count() == 1


def test_an_attributed_paid_order_counts_for_the_creator_and_leaves_when_refunded(django_capture_on_commit_callbacks):
    from showcase import services as showcase_services
    from showcase.tracking import Via
    from tests.showcase.helpers import creator_with_rights

    product, (sku,) = shop_product(stock=5, price_fen=10000, alliance_rate_bp=1500)
    creator = creator_with_rights()
    showcase_services.showcase_item_add(owner=creator, product_id=product.pk)
    user = shopper()
    click = services.click_create(product_id=product.pk, via=Via(channel="showcase", creator_id=creator.pk),
                                  shopper=user)
    with django_capture_on_commit_callbacks(execute=True):
        order = pay(place(user, product, sku, click_id=click.id))
    record = SaleRecord.objects.get(order_ref=f"native:{order.number}")
    assert (record.creator_id, record.gmv_fen) == (creator.pk, 10000)
    # The commission on the dashboard is the commission line's (it comes through commission.changed).
    day = DailyStat.objects.get(creator=creator, day=record.day)
    assert day.commission_fen == 1500
    with django_capture_on_commit_callbacks(execute=True):
        services.order_refund_request(order=order, actor=user, reason="不要了")
        services.order_refund(order=order, actor=order.shop.owner)
    assert SaleRecord.objects.get(pk=record.pk).refunded_at is not None
    assert DailyStat.objects.get(pk=day.pk).commission_fen == 0


def test_a_shopper_sees_only_their_own_order_pages(client, paid):
    login(client, UserFactory())
    assert client.get(reverse("orders:detail", args=[paid.number])).status_code == 404
    login(client, paid.shopper)
    assert client.get(reverse("orders:detail", args=[paid.number])).status_code == 200


def test_a_merchant_sees_and_handles_only_their_shops_orders(client, paid):
    other = ShopFactory()
    login(client, other.owner)
    assert client.get(reverse("orders:merchant_order", args=[paid.number])).status_code == 404
    assert paid.number not in client.get(reverse("orders:merchant_orders")).content.decode()
    login(client, paid.shop.owner)
    assert paid.number in client.get(reverse("orders:merchant_orders")).content.decode()
    answer = client.post(reverse("orders:merchant_order", args=[paid.number]),
                         {"action": "ship", "carrier": "中通快递", "tracking_number": "ZT998877"})
    assert answer.status_code == 302 and Order.objects.get(pk=paid.pk).status == OrderStatus.SHIPPED


def test_the_merchant_ship_form_names_the_missing_field(client, paid):
    login(client, paid.shop.owner)
    answer = client.post(reverse("orders:merchant_order", args=[paid.number]),
                         {"action": "ship", "carrier": "中通快递", "tracking_number": ""})
    assert answer.status_code == 400 and "tracking_number" in answer.context["errors"]


def test_shopper_confirms_receipt_and_asks_refunds_from_the_order_page(client, paid):
    ship(paid)
    login(client, paid.shopper)
    client.post(reverse("orders:detail", args=[paid.number]), {"action": "confirm"})
    assert Order.objects.get(pk=paid.pk).status == OrderStatus.RECEIVED
    client.post(reverse("orders:detail", args=[paid.number]), {"action": "refund", "reason": "尺码不合适"})
    order = Order.objects.get(pk=paid.pk)
    assert (order.status, order.refund_from, order.refund_reason) == ("refund_requested", "received", "尺码不合适")


def test_my_orders_has_status_tabs(client, paid):
    product, (sku,) = shop_product()
    unpaid = place(paid.shopper, product, sku)
    login(client, paid.shopper)
    everything = client.get(reverse("orders:list")).content.decode()
    to_pay = client.get(reverse("orders:list") + "?tab=unpaid").content.decode()
    to_ship = client.get(reverse("orders:list") + "?tab=to_ship").content.decode()
    assert paid.number in everything and unpaid.number in everything
    assert unpaid.number in to_pay and paid.number not in to_pay
    assert paid.number in to_ship and unpaid.number not in to_ship
