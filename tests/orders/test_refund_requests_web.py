"""Partial refunds end to end: the shopper asks an amount or some units over the API and on the
order page (bad amounts are a 400 naming the field, shown next to it), the merchant sees what was
asked and approves, and the order shows each refund."""
import pytest
from django.urls import reverse

from orders.models import OrderStatus, Refund, RefundStatus

from .helpers import login, pay, place, shop_product, shopper

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid():
    product, (sku,) = shop_product(stock=5, price_fen=1000)
    return pay(place(shopper(), product, sku, quantity=3))


def _api(name, order):
    return reverse(f"orders_api:{name}", args=[order.number])


def test_a_partial_refund_asked_over_the_api_is_approved_and_listed_on_the_order(
        api_client, paid, django_capture_on_commit_callbacks):
    api_client.force_authenticate(paid.shopper)
    asked = api_client.post(_api("order_refund_request", paid), {"reason": "少了一件", "quantity": 1}, format="json")
    assert asked.status_code == 200, asked.content
    body = asked.json()
    assert body["status"] == "refund_requested"
    assert [(r["amount_fen"], r["quantity"], r["status"]) for r in body["refunds"]] == [
        (1000, 1, RefundStatus.REQUESTED)]
    api_client.force_authenticate(paid.shop.owner)
    with django_capture_on_commit_callbacks(execute=True):
        decided = api_client.post(_api("merchant_order_refund", paid), {"decision": "approve"}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == OrderStatus.PAID
    api_client.force_authenticate(paid.shopper)
    shown = api_client.get(reverse("orders_api:order", args=[paid.number])).json()
    assert [(r["amount_fen"], r["status"]) for r in shown["refunds"]] == [(1000, RefundStatus.SUCCEEDED)]


@pytest.mark.parametrize("body, field", [
    ({"reason": "x", "amount": "31"}, "amount"),
    ({"reason": "x", "amount": "0"}, "amount"),
    ({"reason": "x", "amount": "1.001"}, "amount"),
    ({"reason": "x", "amount": "abc"}, "amount"),
    ({"reason": "x", "quantity": 4}, "quantity"),
    ({"reason": "x", "quantity": 0}, "quantity"),
    ({"reason": "x", "quantity": "two"}, "quantity"),
    ({"reason": "x", "amount": "1", "quantity": 1}, "amount"),
])
def test_a_bad_refund_amount_or_quantity_is_a_400_naming_the_field_and_changes_nothing(api_client, paid, body, field):
    api_client.force_authenticate(paid.shopper)
    response = api_client.post(_api("order_refund_request", paid), body, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == field
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID and not Refund.objects.exists()


def test_the_order_page_asks_an_amount_and_shows_a_bad_one_next_to_the_field(client, paid):
    login(client, paid.shopper)
    page = reverse("orders:detail", args=[paid.number])
    bad = client.post(page, {"action": "refund", "reason": "质量问题", "amount": "99"})
    assert bad.status_code == 400 and 'id="amount-error"' in bad.content.decode()
    good = client.post(page, {"action": "refund", "reason": "质量问题", "amount": "5.5"})
    assert good.status_code == 302
    assert Refund.objects.get(order=paid).amount_fen == 550
    shown = client.get(page).content.decode()
    assert 'id="refunds"' in shown and "¥5.50" in shown


def test_the_merchant_page_shows_what_was_asked(client, paid):
    from orders import services

    services.order_refund_request(order=paid, actor=paid.shopper, reason="少一件", quantity=2)
    login(client, paid.shop.owner)
    page = client.get(reverse("orders:merchant_order", args=[paid.number])).content.decode()
    assert 'id="refund-asked"' in page and "¥20.00" in page
