"""No oversell under real concurrency (PostgreSQL, real threads, each with its own connection):
200 buyers race for K units; exactly K orders are placed and paid, stock ends at 0, never below.

PostgreSQL here allows 100 connections shared by everyone, so the 200 buyer threads start at the
same moment and at most ``CONNECTIONS`` of them hold a connection at once."""
import threading

import pytest
from django.db import connection, connections

from affiliates.models import Sku
from core.errors import Conflict, DomainError
from orders import services
from orders.models import Order, OrderStatus

from .helpers import notify_params, shop_product, shopper

pytestmark = [pytest.mark.django_db(transaction=True)]
BUYERS, STOCK, CONNECTIONS = 200, 17, 40


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")


def run_concurrently(calls):
    barrier, gate = threading.Barrier(len(calls)), threading.Semaphore(CONNECTIONS)
    ok, refused, crashed = [], [], []

    def worker(call):
        barrier.wait()
        with gate:
            try:
                ok.append(call())
            except DomainError as exc:
                refused.append(exc)
            except Exception as exc:  # a 500 in production: the test must see it
                crashed.append(exc)
            finally:
                connections.close_all()

    threads = [threading.Thread(target=worker, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return ok, refused, crashed


def buy_and_pay(user, product, sku):
    def call():
        order = services.order_place(shopper=user, product_id=product.pk, sku_id=sku.pk, quantity=1,
                                     address_id=user.addresses.get().pk)
        payment = services.payment_start(order=order)
        ok, outcome = services.payment_notify_handle(gateway_name="sandbox", params=notify_params(payment))
        assert ok, outcome
        return order.pk
    return call


def test_200_buyers_for_k_units_make_exactly_k_paid_orders_and_stock_never_goes_negative():
    product, (sku,) = shop_product(stock=STOCK)
    buyers = [shopper() for _ in range(BUYERS)]
    ok, refused, crashed = run_concurrently([buy_and_pay(u, product, sku) for u in buyers])
    assert crashed == []
    assert len(ok) == STOCK and len(refused) == BUYERS - STOCK
    assert all(isinstance(e, Conflict) and e.field == "quantity" for e in refused)
    assert Order.objects.filter(status=OrderStatus.PAID).count() == STOCK == Order.objects.count()
    assert Sku.objects.get(pk=sku.pk).stock == 0


def test_the_same_idempotency_key_sent_concurrently_places_one_order():
    product, (sku,) = shop_product(stock=50)
    user = shopper()

    def call():
        return services.order_place(shopper=user, product_id=product.pk, sku_id=sku.pk, quantity=2,
                                    address_id=user.addresses.get().pk, idempotency_key="double-tap").pk

    ok, refused, crashed = run_concurrently([call] * 20)
    assert crashed == [] and refused == [] and len(set(ok)) == 1
    assert Order.objects.count() == 1 and Sku.objects.get(pk=sku.pk).stock == 48


def test_notifies_racing_for_one_payment_pay_the_order_exactly_once():
    """The gateway sends its notify several times at once (retries crossing): one applies, the
    rest are answered "replayed"; one status change, one order.paid event, the payment paid once.
    (Mutation tried: the payment's UPDATE without ``status = pending``: the later notifies take
    the already paid order for a late payment and try to refund it, and this test fails.)"""
    from core.models import OutboxEvent
    from orders.models import NotifyOutcome, OrderStatusChange, Payment, PaymentStatus

    product, (sku,) = shop_product(stock=5)
    user = shopper()
    order = services.order_place(shopper=user, product_id=product.pk, sku_id=sku.pk, quantity=1,
                                 address_id=user.addresses.get().pk)
    payment = services.payment_start(order=order)
    calls = [lambda i=i: services.payment_notify_handle(gateway_name="sandbox",
                                                       params=notify_params(payment, notify_id=f"race-{i}"))
             for i in range(12)]
    ok, refused, crashed = run_concurrently(calls)
    assert not crashed and not refused, crashed or refused
    outcomes = sorted(outcome for _answer, outcome in ok)
    assert outcomes.count(NotifyOutcome.APPLIED) == 1 and outcomes.count(NotifyOutcome.REPLAYED) == 11, outcomes
    assert all(answer for answer, _outcome in ok)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    assert OrderStatusChange.objects.filter(order=order, to_status=OrderStatus.PAID).count() == 1
    assert OutboxEvent.objects.filter(key=f"order.paid:{order.pk}").count() == 1
