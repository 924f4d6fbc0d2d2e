"""Paying through the sandbox gateway: the signed notify is the only thing that marks an order
paid; forged, altered-amount and replayed notifies change nothing and leave a clear log line;
unpaid orders close after the time limit and give their stock back."""
import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from affiliates.models import Sku
from orders import services, tasks
from orders.models import NotifyOutcome, Order, OrderStatus, Payment, PaymentNotify, PaymentStatus
from tests.affiliates.sandbox_transport import TESTSERVER, DjangoTestAdapter
from tests.factories.creators import UserFactory

from .helpers import login, notify_params, pay, place, shop_product, shopper

pytestmark = pytest.mark.django_db
NOTIFY = reverse("orders:notify", args=["sandbox"])


@pytest.fixture
def gateway_transport():
    """The sandbox gateway's notify POSTs reach our notify view in-process."""
    adapter = DjangoTestAdapter()
    tasks.get_session().mount(f"{TESTSERVER}/", adapter)
    yield adapter
    tasks.get_session().adapters.pop(f"{TESTSERVER}/", None)


@pytest.fixture
def unpaid():
    product, (sku,) = shop_product(stock=3, price_fen=2500)
    order = place(shopper(), product, sku, quantity=2)
    return order, services.payment_start(order=order)


def test_pressing_pay_again_resumes_the_pending_payment_and_a_cancelled_one_makes_way(unpaid):
    """Back on the order page, 去支付 again goes to the payment already waiting at the gateway,
    not a second one the shopper could pay twice; once that one is cancelled, a new one starts.
    (Mutation tried: inserting without the "no pending payment" condition starts a second
    payment and this test fails.)"""
    from orders.models import Payment, PaymentStatus

    order, payment = unpaid
    again = services.payment_start(order=order)
    assert again.pk == payment.pk and again.number == payment.number
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.CANCELLED)
    fresh = services.payment_start(order=order)
    assert fresh.pk != payment.pk and fresh.status == PaymentStatus.PENDING and fresh.amount_fen == 5000
    assert list(order.payments.filter(status=PaymentStatus.PENDING).values_list("pk", flat=True)) == [fresh.pk]


def test_a_signed_notify_marks_the_order_paid_and_answers_success(client, unpaid):
    order, payment = unpaid
    answer = client.post(NOTIFY, notify_params(payment))
    assert answer.status_code == 200 and answer.content == b"success"
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at and payment.status == PaymentStatus.PAID
    assert list(order.history.values_list("to_status", flat=True)) == ["pending_payment", "paid"]


def test_a_replayed_notify_changes_nothing(client, unpaid, caplog):
    order, payment = unpaid
    client.post(NOTIFY, notify_params(payment))
    paid_at = Order.objects.get(pk=order.pk).paid_at
    with caplog.at_level(logging.INFO, logger="orders.payments"):
        again = client.post(NOTIFY, notify_params(payment, notify_id="n2", trade_no="T-other"))
    assert again.content == b"success"  # the gateway may stop resending
    order.refresh_from_db()
    assert order.paid_at == paid_at and order.history.count() == 2
    assert Payment.objects.get(pk=payment.pk).gateway_trade_no == f"T{payment.pk}"
    assert "replayed" in caplog.text and PaymentNotify.objects.filter(outcome=NotifyOutcome.REPLAYED).count() == 1


def test_a_forged_signature_changes_nothing_and_is_logged(client, unpaid, caplog):
    order, payment = unpaid
    with caplog.at_level(logging.WARNING, logger="orders.payments"):
        answer = client.post(NOTIFY, notify_params(payment, secret="guessed"))
    assert answer.content == b"fail"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING_PAYMENT
    assert "REFUSED (forged" in caplog.text and payment.number in caplog.text


def test_an_amount_altered_after_signing_is_refused_as_forged(client, unpaid):
    order, payment = unpaid
    params = notify_params(payment)
    params["total_fen"] = "1"
    assert client.post(NOTIFY, params).content == b"fail"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING_PAYMENT


def test_a_signed_notify_for_a_different_amount_changes_nothing_and_is_logged(client, unpaid, caplog):
    order, payment = unpaid
    with caplog.at_level(logging.WARNING, logger="orders.payments"):
        answer = client.post(NOTIFY, notify_params(payment, amount_fen=payment.amount_fen - 1))
    assert answer.content == b"fail" and "altered amount" in caplog.text
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING_PAYMENT
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING


def test_an_unknown_trade_number_changes_nothing(client, unpaid):
    _order, payment = unpaid
    payment.number = "P-nope"
    assert client.post(NOTIFY, notify_params(payment)).content == b"fail"
    assert not Order.objects.filter(status=OrderStatus.PAID).exists()


def test_paying_on_the_sandbox_page_sends_a_signed_notify_that_pays_the_order(
        client, unpaid, gateway_transport, django_capture_on_commit_callbacks):
    order, payment = unpaid
    login(client, order.shopper)
    url = reverse("orders:sandbox_pay", args=[payment.number])
    page = client.get(url)
    assert page.status_code == 200 and "50.00" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"decision": "pay"})
    assert answer.status_code == 302 and answer.url == reverse("orders:detail", args=[order.number])
    assert gateway_transport.calls == [("POST", NOTIFY)]
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


def test_cancelling_on_the_sandbox_page_leaves_the_order_unpaid(
        client, unpaid, gateway_transport, django_capture_on_commit_callbacks):
    order, payment = unpaid
    login(client, order.shopper)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("orders:sandbox_pay", args=[payment.number]), {"decision": "cancel"})
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.CANCELLED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING_PAYMENT


def test_someone_elses_pay_page_is_404(client, unpaid):
    _order, payment = unpaid
    login(client, UserFactory())
    assert client.get(reverse("orders:sandbox_pay", args=[payment.number])).status_code == 404


def test_unpaid_orders_close_after_the_timeout_and_release_stock(settings, django_capture_on_commit_callbacks):
    settings.ORDER_PAYMENT_TIMEOUT = timedelta(minutes=15)
    product, (sku,) = shop_product(stock=3)
    late = place(shopper(), product, sku, quantity=2)
    paid = pay(place(shopper(), product, sku, quantity=1))
    assert Sku.objects.get(pk=sku.pk).stock == 0
    assert services.orders_close_unpaid(now=timezone.now() + timedelta(minutes=10)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.orders_close_unpaid(now=timezone.now() + timedelta(minutes=16)) == 1
    late.refresh_from_db()
    product.refresh_from_db()
    assert late.status == OrderStatus.CLOSED and late.history.last().action == "timeout"
    assert Sku.objects.get(pk=sku.pk).stock == 2 and product.available
    assert Order.objects.get(pk=paid.pk).status == OrderStatus.PAID


def test_a_notify_after_the_order_closed_does_not_reopen_it_and_refunds_the_money(client, unpaid, caplog):
    order, payment = unpaid
    services.orders_close_unpaid(now=timezone.now() + timedelta(days=1))
    with caplog.at_level(logging.WARNING, logger="orders.payments"):
        answer = client.post(NOTIFY, notify_params(payment))
    assert answer.content == b"success" and "refunding it" in caplog.text
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CLOSED
    assert payment.refunds.count() == 1  # sent through the gateway after commit (tests/orders/test_refunds.py)


def test_a_closed_order_cannot_start_a_payment(unpaid):
    order, _payment = unpaid
    services.orders_close_unpaid(now=timezone.now() + timedelta(days=1))
    order.refresh_from_db()
    from core.errors import Conflict

    with pytest.raises(Conflict):
        services.payment_start(order=order)
