"""The order lifecycle over the API: a shopper cancels, confirms and asks for refunds; a merchant
lists their shop's orders, ships and decides refunds. The same transitions table as the pages:
a move it does not allow is a 409, someone else's order a 404, bad input a 400 naming the field."""
import pytest
from django.urls import reverse

from affiliates.models import Sku
from notices.models import InboxMessage
from orders.models import Order, OrderStatus
from tests.factories.creators import UserFactory

from .helpers import pay, place, shop_product, shopper

pytestmark = pytest.mark.django_db


def url(name, order):
    return reverse(f"orders_api:{name}", args=[order.number])


@pytest.fixture
def paid():
    product, (sku,) = shop_product(stock=5, price_fen=1000)
    return pay(place(shopper(), product, sku, quantity=2))


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_merchant_ships_over_the_api_and_the_shopper_confirms_receipt(api_client, paid,
                                                                      django_capture_on_commit_callbacks):
    merchant = as_user(api_client, paid.shop.owner)
    listed = merchant.get(reverse("orders_api:merchant_orders"), {"status": "paid"}).json()
    assert [o["number"] for o in listed["results"]] == [paid.number]
    with django_capture_on_commit_callbacks(execute=True):
        shipped = merchant.post(url("merchant_order_ship", paid),
                                {"carrier": "顺丰速运", "tracking_number": "SF100200"}, format="json")
    assert shipped.status_code == 200
    assert (shipped.json()["status"], shipped.json()["tracking_number"]) == ("shipped", "SF100200")
    buyer = as_user(api_client, paid.shopper)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = buyer.post(url("order_confirm", paid))
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "received"
    assert InboxMessage.objects.filter(recipient=paid.shopper).count() == 2  # shipped, received: once each


def test_a_refund_asked_over_the_api_and_approved_by_the_merchant_returns_the_stock(api_client, paid):
    buyer = as_user(api_client, paid.shopper)
    asked = buyer.post(url("order_refund_request", paid), {"reason": "拍错了尺码"}, format="json")
    assert asked.status_code == 200 and asked.json()["status"] == "refund_requested"
    assert asked.json()["refund_reason"] == "拍错了尺码"
    merchant = as_user(api_client, paid.shop.owner)
    approved = merchant.post(url("merchant_order_refund", paid), {"decision": "approve"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "refunded"
    assert Sku.objects.get(pk=paid.sku_id).stock == 5


def test_a_rejected_refund_goes_back_to_where_it_was(api_client, paid):
    as_user(api_client, paid.shopper).post(url("order_refund_request", paid), {"reason": "不想要了"}, format="json")
    response = as_user(api_client, paid.shop.owner).post(url("merchant_order_refund", paid),
                                                         {"decision": "reject", "note": "已发出"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "paid"


def test_the_shopper_cancels_an_unpaid_order_and_its_stock_returns(api_client):
    product, (sku,) = shop_product(stock=3)
    order = place(shopper(), product, sku, quantity=2)
    response = as_user(api_client, order.shopper).post(url("order_cancel", order))
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert Sku.objects.get(pk=sku.pk).stock == 3


def test_a_move_the_table_refuses_is_a_409_and_changes_nothing(api_client, paid):
    response = as_user(api_client, paid.shopper).post(url("order_confirm", paid))  # not shipped yet
    assert response.status_code == 409 and response.json()["error"]["code"] == "transition_refused"
    assert Order.objects.get(pk=paid.pk).status == OrderStatus.PAID


@pytest.mark.parametrize("name,body,field", [
    ("merchant_order_ship", {"carrier": "顺丰"}, "tracking_number"),
    ("merchant_order_ship", {"carrier": "", "tracking_number": "SF1"}, "carrier"),
    ("merchant_order_ship", {"carrier": "顺丰", "tracking_number": "SF 1<script>"}, "tracking_number"),
    ("merchant_order_refund", {"decision": "maybe"}, "decision"),
])
def test_bad_merchant_input_is_a_400_naming_the_field(api_client, paid, name, body, field):
    response = as_user(api_client, paid.shop.owner).post(url(name, paid), body, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == field
    assert Order.objects.get(pk=paid.pk).status == OrderStatus.PAID


def test_a_refund_request_needs_a_reason(api_client, paid):
    response = as_user(api_client, paid.shopper).post(url("order_refund_request", paid), {}, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == "reason"


def test_nobody_else_can_see_or_move_an_order(api_client, paid):
    stranger = as_user(api_client, UserFactory())
    for name in ("order_cancel", "order_confirm", "merchant_order_ship", "merchant_order_refund"):
        assert stranger.post(url(name, paid), {}, format="json").status_code == 404
    _product, (other_sku,) = shop_product()
    rival = as_user(api_client, other_sku.product.shop.owner)
    assert rival.get(url("merchant_order", paid)).status_code == 404
    assert rival.post(url("merchant_order_ship", paid), {"carrier": "顺丰", "tracking_number": "SF1"},
                      format="json").status_code == 404
    assert rival.get(reverse("orders_api:merchant_orders")).json()["results"] == []
    assert api_client.logout() is None and api_client.post(url("order_confirm", paid)).status_code in (401, 403)


def test_an_unknown_status_filter_is_a_400_naming_it(api_client, paid):
    response = as_user(api_client, paid.shop.owner).get(reverse("orders_api:merchant_orders"), {"status": "lost"})
    assert response.status_code == 400 and response.json()["error"]["field"] == "status"
