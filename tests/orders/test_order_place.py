"""Placing a native order: stock reserved in the same transaction, never negative, price from
the server, idempotency keys (API header and the checkout form's one-time token)."""
import pytest
from django.urls import reverse

from affiliates.models import Product, Sku
from core.errors import Conflict, InvalidInput, NotFound
from orders import services
from orders.models import Order, OrderStatus
from tests.factories.creators import UserFactory

from .helpers import address_of, login, place, shop_product, shopper

pytestmark = pytest.mark.django_db


def test_placing_reserves_stock_and_takes_the_price_from_the_sku():
    product, (sku,) = shop_product(stock=5, price_fen=1990)
    order = place(shopper(), product, sku, quantity=2)
    sku.refresh_from_db()
    assert sku.stock == 3
    assert (order.status, order.unit_price_fen, order.total_fen) == (OrderStatus.PENDING_PAYMENT, 1990, 3980)
    assert order.history.get().to_status == OrderStatus.PENDING_PAYMENT


def test_more_than_the_stock_is_refused_and_nothing_is_written():
    product, (sku,) = shop_product(stock=2)
    with pytest.raises(Conflict) as exc:
        place(shopper(), product, sku, quantity=3)
    assert exc.value.field == "quantity" and "2" in str(exc.value.message)
    sku.refresh_from_db()
    assert sku.stock == 2 and not Order.objects.exists()


def test_the_last_unit_goes_to_exactly_one_buyer_and_the_product_leaves_the_pool(django_capture_on_commit_callbacks):
    product, (sku,) = shop_product(stock=1)
    with django_capture_on_commit_callbacks(execute=True):
        place(shopper(), product, sku)
    with pytest.raises(Conflict):
        place(shopper(), product, sku)
    sku.refresh_from_db()
    product.refresh_from_db()
    assert sku.stock == 0 and Order.objects.count() == 1 and product.available is False


@pytest.mark.parametrize("quantity", [0, -1, 100, "2", True])
def test_quantity_must_be_a_whole_number_within_the_limit(quantity):
    product, (sku,) = shop_product()
    with pytest.raises(InvalidInput) as exc:
        place(shopper(), product, sku, quantity=quantity)
    assert exc.value.field == "quantity"


def test_someone_elses_address_is_not_yours_to_ship_to():
    product, (sku,) = shop_product()
    other = shopper()
    with pytest.raises(NotFound) as exc:
        services.order_place(shopper=shopper(), product_id=product.pk, sku_id=sku.pk, quantity=1,
                             address_id=address_of(other).pk)
    assert exc.value.field == "address"


def test_a_sku_of_another_product_is_refused():
    product, _ = shop_product()
    _other, (foreign_sku,) = shop_product()
    with pytest.raises(NotFound) as exc:
        place(shopper(), product, foreign_sku)
    assert exc.value.field == "sku"


def test_the_same_idempotency_key_returns_the_same_order_and_reserves_once():
    product, (sku,) = shop_product(stock=5)
    user = shopper()
    first = place(user, product, sku, quantity=2, idempotency_key="k-1")
    again = place(user, product, sku, quantity=2, idempotency_key="k-1")
    sku.refresh_from_db()
    assert first.pk == again.pk and sku.stock == 3 and Order.objects.count() == 1


def test_the_same_idempotency_key_with_a_different_body_is_refused():
    product, (sku,) = shop_product(stock=5)
    user = shopper()
    place(user, product, sku, quantity=1, idempotency_key="k-1")
    with pytest.raises(Conflict) as exc:
        place(user, product, sku, quantity=2, idempotency_key="k-1")
    assert exc.value.code == "idempotency_key_reused"
    sku.refresh_from_db()
    assert sku.stock == 4


def test_api_idempotency_key_header_same_order_then_409_for_another_body(api_client):
    product, (sku,) = shop_product(stock=5)
    user = shopper()
    api_client.force_authenticate(user)
    body = {"product": product.pk, "sku": sku.pk, "quantity": 1, "address": address_of(user).pk}
    url = reverse("orders_api:orders")
    one = api_client.post(url, body, format="json", headers={"Idempotency-Key": "abc"})
    two = api_client.post(url, body, format="json", headers={"Idempotency-Key": "abc"})
    assert one.status_code == two.status_code == 201 and one.json()["number"] == two.json()["number"]
    three = api_client.post(url, {**body, "quantity": 2}, format="json", headers={"Idempotency-Key": "abc"})
    assert three.status_code == 409 and three.json()["error"]["field"] == "Idempotency-Key"
    assert Sku.objects.get(pk=sku.pk).stock == 4


def test_a_retried_placement_gets_its_order_even_when_it_took_the_last_unit():
    """The client timed out on the placement that took the last unit and sends it again with the
    same key: it gets that order, not "sold out". (Mutation tried: answering the key only before
    the stock check, as a lookup that a refusal skips, fails it.)"""
    product, (sku,) = shop_product(stock=1)
    user = shopper()
    first = place(user, product, sku, idempotency_key="k-last")
    again = place(user, product, sku, idempotency_key="k-last")
    assert again.pk == first.pk and Sku.objects.get(pk=sku.pk).stock == 0


def test_the_placement_answer_is_the_order_as_the_api_shows_it(api_client):
    """The placement builds its 201 body directly (no serializer): it must stay equal to what
    ``GET /api/v1/orders/<number>/`` says of the same order, field for field."""
    product, (sku,) = shop_product(stock=5)
    user = shopper()
    api_client.force_authenticate(user)
    body = {"product": product.pk, "sku": sku.pk, "quantity": 2, "address": address_of(user).pk}
    placed = api_client.post(reverse("orders_api:orders"), body, format="json", headers={"Idempotency-Key": "r1"})
    assert placed.status_code == 201
    shown = api_client.get(reverse("orders_api:order", args=[placed.json()["number"]]))
    assert placed.json() == shown.json()
    again = api_client.post(reverse("orders_api:orders"), body, format="json", headers={"Idempotency-Key": "r1"})
    assert again.json() == shown.json()


def test_api_client_cannot_set_price_total_or_status(api_client):
    product, (sku,) = shop_product(price_fen=5000)
    user = shopper()
    api_client.force_authenticate(user)
    answer = api_client.post(reverse("orders_api:orders"), {
        "product": product.pk, "sku": sku.pk, "quantity": 1, "address": address_of(user).pk,
        "unit_price_fen": 1, "total_fen": 1, "status": "paid"}, format="json")
    assert answer.status_code == 201
    assert (answer.json()["total_fen"], answer.json()["status"]) == (5000, "pending_payment")


def test_a_shopper_sees_only_their_own_orders_in_the_api(api_client):
    product, (sku,) = shop_product()
    order = place(shopper(), product, sku)
    api_client.force_authenticate(UserFactory())
    assert api_client.get(reverse("orders_api:order", args=[order.number])).status_code == 404
    assert api_client.get(reverse("orders_api:orders")).json()["results"] == []


def test_checkout_form_submitted_twice_makes_one_order_and_goes_to_the_pay_page(client):
    product, (sku,) = shop_product(stock=5)
    user = shopper()
    login(client, user)
    url = reverse("orders:checkout", args=[product.pk])
    page = client.get(url)
    assert page.status_code == 200
    token = page.context["token"]
    data = {"token": token, "sku": sku.pk, "quantity": 2, "address": address_of(user).pk}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url and first.url.startswith("/pay/sandbox/")
    assert Order.objects.count() == 1 and Sku.objects.get(pk=sku.pk).stock == 3


def test_checkout_shows_the_rule_next_to_the_field_on_bad_input(client):
    product, (sku,) = shop_product(stock=1)
    user = shopper()
    login(client, user)
    answer = client.post(reverse("orders:checkout", args=[product.pk]),
                         {"token": "t", "sku": sku.pk, "quantity": 5, "address": address_of(user).pk})
    assert answer.status_code == 400 and "1" in answer.context["errors"]["quantity"]
    assert not Order.objects.exists()


def test_buy_button_of_a_native_product_leads_to_checkout_with_the_click(client):
    product, _ = shop_product()
    login(client, shopper())
    answer = client.get(reverse("orders:buy", args=[product.pk]))
    assert answer.status_code == 302 and answer.url.startswith(f"/checkout/{product.pk}/?click=")


def test_an_order_is_attributed_to_the_last_click_of_the_buyer():
    from showcase import services as showcase_services
    from showcase.tracking import Via
    from tests.showcase.helpers import creator_with_rights

    product, (sku,) = shop_product(alliance_rate_bp=2000, price_fen=10000)
    creator = creator_with_rights()
    showcase_services.showcase_item_add(owner=creator, product_id=product.pk)
    user = shopper()
    click = services.click_create(product_id=product.pk, via=Via(channel="showcase", creator_id=creator.pk),
                                  shopper=user)
    order = place(user, product, sku, click_id=click.id)
    assert (order.creator_id, order.channel, order.commission_fen) == (creator.pk, "showcase", 2000)
    assert Product.objects.get(pk=product.pk).source == "alliance"


@pytest.mark.parametrize("field", ["product", "sku", "address"])
@pytest.mark.parametrize("value", [2**31, 2**63, 10**30])
def test_an_id_beyond_64_bits_is_a_404_naming_the_field_not_a_crash(api_client, field, value):
    """Any database, SQLite included (which cannot even bind such a number): the id names no row."""
    product, (sku,) = shop_product(stock=5)
    user = shopper()
    api_client.force_authenticate(user)
    body = {"product": product.pk, "sku": sku.pk, "quantity": 1, "address": address_of(user).pk, field: value}
    r = api_client.post(reverse("orders_api:orders"), body, format="json")
    assert r.status_code == 404 and r.json()["error"]["field"] == field, r.content
    assert Sku.objects.get(pk=sku.pk).stock == 5
