"""Approved refunds send the money back through the gateway the order was paid with: once per
refund whatever is retried, temporary gateway failures retried, refusals left for an operator,
and the shopper told by the shopping assistant when the money is on its way."""
import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from notices.models import InboxMessage
from orders import payments, services
from orders.models import Payment, PaymentStatus, Refund, RefundStatus
from tests.factories.creators import UserFactory

from .helpers import login, pay, place, shop_product, shopper

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested():
    product, (sku,) = shop_product(stock=5, price_fen=1250)
    order = pay(place(shopper(), product, sku, quantity=2))
    return services.order_refund_request(order=order, actor=order.shopper, reason="尺码不合适")


@pytest.fixture
def gateway_calls(monkeypatch):
    calls = []
    real = payments.SandboxGateway.refund

    def counting(self, **kwargs):
        calls.append(kwargs["refund_number"])
        return real(self, **kwargs)

    monkeypatch.setattr(payments.SandboxGateway, "refund", counting)
    return calls


def approve(order, capture):
    with capture(execute=True):
        return services.order_refund(order=order, actor=order.shop.owner)


def test_an_approved_refund_sends_the_paid_amount_back_once_and_tells_the_shopper(
        requested, gateway_calls, django_capture_on_commit_callbacks, client):
    approve(requested, django_capture_on_commit_callbacks)
    refund = Refund.objects.get(order=requested)
    assert (refund.status, refund.amount_fen) == (RefundStatus.SUCCEEDED, 2500)
    assert refund.gateway_refund_no.startswith("SBXR") and refund.refunded_at and gateway_calls == [refund.number]
    message = InboxMessage.objects.get(recipient=requested.shopper, kind="order.refund_paid")
    assert "¥25.00" in message.display_body
    page = login(client, requested.shopper).get(reverse("orders:detail", args=[requested.number])).content.decode()
    assert 'data-status="succeeded"' in page and "¥25.00" in page


def test_running_the_refund_again_never_pays_twice(requested, gateway_calls, django_capture_on_commit_callbacks):
    approve(requested, django_capture_on_commit_callbacks)
    refund = Refund.objects.get(order=requested)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.refund_execute(refund_id=refund.pk) == RefundStatus.SUCCEEDED
        assert services.refunds_retry_stale() == 0
    assert len(gateway_calls) == 1
    assert InboxMessage.objects.filter(recipient=requested.shopper, kind="order.refund_paid").count() == 1


def test_a_gateway_outage_leaves_the_refund_pending_and_a_later_run_sends_it(
        requested, monkeypatch, django_capture_on_commit_callbacks):
    real = payments.SandboxGateway.refund

    def down(self, **kwargs):
        raise payments.GatewayUnavailable("connect timeout")

    monkeypatch.setattr(payments.SandboxGateway, "refund", down)
    order = approve(requested, django_capture_on_commit_callbacks)
    refund = Refund.objects.get(order=order)
    assert (refund.status, refund.attempts, refund.last_error) == (RefundStatus.PENDING, 1, "connect timeout")
    assert order.status == "refunded"  # the approval stands; only the money is late
    monkeypatch.setattr(payments.SandboxGateway, "refund", real)
    Refund.objects.filter(pk=refund.pk).update(created_at=refund.created_at - services.refunds.STALE_AFTER)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.refunds_retry_stale() == 1
    refund.refresh_from_db()
    assert (refund.status, refund.attempts, refund.last_error) == (RefundStatus.SUCCEEDED, 2, "")


def test_a_refused_refund_is_failed_for_an_operator_who_can_send_it_again(
        requested, monkeypatch, django_capture_on_commit_callbacks):
    real = payments.SandboxGateway.refund
    monkeypatch.setattr(payments.SandboxGateway, "refund",
                        lambda self, **kw: (_ for _ in ()).throw(payments.RefundRefused("account frozen")))
    approve(requested, django_capture_on_commit_callbacks)
    refund = Refund.objects.get(order=requested)
    assert (refund.status, refund.last_error) == (RefundStatus.FAILED, "account frozen")
    monkeypatch.setattr(payments.SandboxGateway, "refund", real)
    admin = site._registry[Refund]
    request = RequestFactory().post("/admin/orders/refund/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    monkeypatch.setattr(admin, "message_user", lambda *a, **k: None)
    with django_capture_on_commit_callbacks(execute=True):
        admin.retry(request, Refund.objects.all())
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.SUCCEEDED


def test_the_sandbox_gateway_refunds_at_most_what_was_paid_and_only_paid_trades(requested):
    gateway = payments.get_gateway("sandbox")
    payment = Payment.objects.get(order=requested, status=PaymentStatus.PAID)
    first = gateway.refund(payment=payment, refund_number="R1", amount_fen=2500)
    assert gateway.refund(payment=payment, refund_number="R1", amount_fen=2500) == first  # same number, same refund
    with pytest.raises(payments.RefundRefused):
        gateway.refund(payment=payment, refund_number="R2", amount_fen=2501)
    payment.status = PaymentStatus.PENDING
    with pytest.raises(payments.RefundRefused):
        gateway.refund(payment=payment, refund_number="R3", amount_fen=100)


def test_a_rejected_refund_request_moves_no_money(requested, gateway_calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.order_refund_reject(order=requested, actor=requested.shop.owner, note="已发货")
    # The request stays on record, rejected; nothing goes to the gateway.
    assert list(Refund.objects.values_list("status", flat=True)) == [RefundStatus.REJECTED]
    assert gateway_calls == []


def test_money_that_arrives_after_the_order_closed_goes_straight_back(settings, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from orders.models import NotifyOutcome, Order, OrderStatus

    from .helpers import notify_params

    product, (sku,) = shop_product(stock=3, price_fen=990)
    order = place(shopper(), product, sku)
    payment = services.payment_start(order=order)
    with django_capture_on_commit_callbacks(execute=True):
        services.orders_close_unpaid(now=timezone.now() + settings.ORDER_PAYMENT_TIMEOUT + timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        ok, outcome = services.payment_notify_handle(gateway_name="sandbox", params=notify_params(payment))
    assert (ok, outcome) == (True, NotifyOutcome.LATE)  # the gateway stops resending
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CLOSED  # not reopened
    refund = Refund.objects.get(payment=payment)
    assert (refund.status, refund.amount_fen) == (RefundStatus.SUCCEEDED, 990)
    assert InboxMessage.objects.filter(recipient=order.shopper, kind="order.refund_paid").count() == 1
    with django_capture_on_commit_callbacks(execute=True):  # the gateway resends the notify: nothing more
        assert services.payment_notify_handle(gateway_name="sandbox",
                                              params=notify_params(payment, notify_id="n2"))[1] == "replayed"
    assert Refund.objects.filter(payment=payment).count() == 1
