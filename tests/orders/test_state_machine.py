"""A hypothesis state machine over place / pay / ship / confirm / refund / cancel / timeout: at
every step stock plus the units held by live orders equals the starting stock, stock is never
negative, every order's status is the last entry of its history and follows the table."""
from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from affiliates.models import Sku
from core.errors import Conflict, DomainError
from orders import services
from orders.models import TRANSITIONS, Order, OrderStatus

from .helpers import notify_params, shop_product, shopper

pytestmark = pytest.mark.django_db
START = 4


def holds_stock(order: Order) -> bool:
    if order.status == OrderStatus.CLOSED:
        return False
    return not (order.status == OrderStatus.REFUNDED and order.refund_from == OrderStatus.PAID)


def committed():
    """Each step's after-commit work runs as it would after a real commit (a restock clears the
    SKU's sold-out flag then; without it a later step would read a flag that production clears)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


class OrderMachine(RuleBasedStateMachine):
    orders = Bundle("orders")

    @initialize()
    def setup(self):
        self.product, self.skus = shop_product(stock=START, skus=2)
        self.buyers = [shopper(), shopper()]
        self.mine: list[int] = []

    def _fresh(self, order):
        return Order.objects.select_related("shop__owner", "shopper").get(pk=order.pk)

    @rule(target=orders, buyer=st.integers(0, 1), sku=st.integers(0, 1), quantity=st.integers(1, 3))
    def place(self, buyer, sku, quantity):
        before = Sku.objects.get(pk=self.skus[sku].pk).stock
        try:
            with committed():
                order = services.order_place(shopper=self.buyers[buyer], product_id=self.product.pk,
                                             sku_id=self.skus[sku].pk, quantity=quantity,
                                             address_id=self.buyers[buyer].addresses.get().pk)
        except Conflict:
            assert before < quantity  # refused only when the stock really is short
            return None
        self.mine.append(order.pk)
        return order

    def _try(self, call, order, action):
        if order is None:
            return
        order = self._fresh(order)
        before = order.status
        try:
            with committed():
                call(order)
        except DomainError:
            assert (before, action) not in TRANSITIONS or action == "pay"
            assert self._fresh(order).status == before

    @rule(order=orders)
    def pay(self, order):
        def call(o):
            payment = services.payment_start(order=o)
            services.payment_notify_handle(gateway_name="sandbox", params=notify_params(payment))
        self._try(call, order, "pay")

    @rule(order=orders)
    def ship(self, order):
        self._try(lambda o: services.order_ship(order=o, actor=o.shop.owner, carrier="顺丰", tracking_number="SF1"),
                  order, "ship")

    @rule(order=orders)
    def confirm(self, order):
        self._try(lambda o: services.order_confirm(order=o, actor=o.shopper), order, "confirm")

    @rule(order=orders)
    def request_refund(self, order):
        self._try(lambda o: services.order_refund_request(order=o, actor=o.shopper, reason="不要了"), order,
                  "refund_request")

    @rule(order=orders)
    def approve_refund(self, order):
        self._try(lambda o: services.order_refund(order=o, actor=o.shop.owner), order, "refund_approve")

    @rule(order=orders)
    def reject_refund(self, order):
        self._try(lambda o: services.order_refund_reject(order=o, actor=o.shop.owner), order, "refund_reject")

    @rule(order=orders)
    def cancel(self, order):
        self._try(lambda o: services.order_cancel(order=o, actor=o.shopper), order, "cancel")

    @rule()
    def timeout(self):
        with committed():
            services.orders_close_unpaid(now=timezone.now() + timedelta(days=1))

    @invariant()
    def stock_is_conserved_and_never_negative(self):
        if not hasattr(self, "skus"):
            return
        orders = list(Order.objects.filter(pk__in=self.mine))
        for sku in self.skus:
            stock = Sku.objects.get(pk=sku.pk).stock
            held = sum(o.quantity for o in orders if o.sku_id == sku.pk and holds_stock(o))
            assert stock >= 0 and stock + held == START

    @invariant()
    def status_is_the_end_of_a_legal_history(self):
        if not hasattr(self, "mine"):
            return
        for order in Order.objects.filter(pk__in=self.mine).prefetch_related("history"):
            history = list(order.history.all())
            assert history[0].action == "place" and history[-1].to_status == order.status
            for h in history:
                assert (h.from_status, h.action) in TRANSITIONS
            assert order.payments.filter(status="paid").count() <= 1


def test_orders_keep_stock_and_states_consistent_at_every_step():
    run_state_machine_as_test(OrderMachine, settings=settings(
        max_examples=25, stateful_step_count=25, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
