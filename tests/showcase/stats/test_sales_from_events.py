"""The stats room learns sales from the orders room's outbox events: a paid attributed order is
counted, partial refunds take GMV and commission out pro rata (to the fen), the refund that
reaches the paid total takes the order out, and each event counts once."""
import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from core.models import OutboxEvent
from core.outbox import outbox_dispatch
from orders import services
from showcase import services as showcase_services
from showcase.stats.models import DailyStat, SaleRecord
from showcase.tracking import Via
from tests.orders.helpers import pay, place, shop_product, shopper
from tests.showcase.helpers import creator_with_rights

pytestmark = pytest.mark.django_db


def _totals(creator):
    return DailyStat.objects.filter(creator=creator).aggregate(
        orders=Sum("orders"), units=Sum("units"), gmv=Sum("gmv_fen"), commission=Sum("commission_fen"))


def _refund(order, capture, **ask):
    with capture(execute=True):
        services.order_refund_request(order=order, actor=order.shopper, reason="退一部分", **ask)
        services.order_refund(order=order, actor=order.shop.owner)


@pytest.fixture
def sold(django_capture_on_commit_callbacks):
    product, (sku,) = shop_product(stock=10, price_fen=3333, alliance_rate_bp=1000)
    creator = creator_with_rights()
    showcase_services.showcase_item_add(owner=creator, product_id=product.pk)
    user = shopper()
    click = services.click_create(product_id=product.pk, via=Via(channel="showcase", creator_id=creator.pk),
                                  shopper=user)
    with django_capture_on_commit_callbacks(execute=True):
        order = pay(place(user, product, sku, quantity=3, click_id=click.id))
    return creator, order


def test_a_paid_attributed_order_is_counted_from_its_event(sold):
    creator, order = sold
    assert _totals(creator) == {"orders": 1, "units": 3, "gmv": 9999, "commission": 1000}


def test_partial_refunds_take_gmv_and_commission_out_pro_rata_and_the_last_takes_the_order_out(
        sold, django_capture_on_commit_callbacks):
    creator, order = sold
    _refund(order, django_capture_on_commit_callbacks, quantity=1)
    assert _totals(creator) == {"orders": 1, "units": 2, "gmv": 6666, "commission": 667}
    _refund(order, django_capture_on_commit_callbacks, amount="0.01")
    after_cent = _totals(creator)
    assert after_cent["gmv"] == 6665 and after_cent["orders"] == 1
    _refund(order, django_capture_on_commit_callbacks)
    assert _totals(creator) == {"orders": 0, "units": 0, "gmv": 0, "commission": 0}
    assert SaleRecord.objects.get(order_ref=f"native:{order.number}").refunded_at is not None


def test_an_event_handed_over_twice_counts_once(sold, django_capture_on_commit_callbacks):
    creator, order = sold
    _refund(order, django_capture_on_commit_callbacks, amount="10")
    event = OutboxEvent.objects.get(topic="order.refund_succeeded")
    OutboxEvent.objects.filter(pk=event.pk).update(delivered_at=None)
    outbox_dispatch(event_id=event.pk)
    assert _totals(creator)["gmv"] == 9999 - 1000


@pytest.fixture
def one_creator():
    return creator_with_rights()


@given(gmv=st.integers(1, 10**8), rate_bp=st.integers(0, 10000),
       cuts=st.lists(st.integers(1, 10**6), min_size=0, max_size=6))
@hyp_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_split_of_partial_refunds_never_overshoots_and_the_full_refund_leaves_zero_to_the_fen(
        one_creator, gmv, rate_bp, cuts):
    from core.money import apply_rate
    from showcase.stats.services import sale_refund_part

    from .helpers import sale

    commission = apply_rate(gmv, rate_bp)
    ref = f"H{gmv}-{rate_bp}-{len(cuts)}-{sum(cuts)}"
    DailyStat.objects.filter(creator=one_creator).delete()
    SaleRecord.objects.filter(creator=one_creator).delete()
    sale(one_creator, ref=ref, gmv_fen=gmv, commission_fen=commission)
    refunded = 0
    for cut in cuts:
        amount = min(cut, gmv - refunded - 1)
        if amount <= 0:
            break
        refunded += amount
        sale_refund_part(order_ref=ref, amount_fen=amount, refunded_total_fen=refunded, paid_total_fen=gmv)
        left = _totals(one_creator)
        assert left["gmv"] == gmv - refunded and left["orders"] == 1
        assert 0 <= left["commission"] <= commission
    # The refund that reaches the paid total carries every unit left (orders' contract).
    sale_refund_part(order_ref=ref, amount_fen=gmv - refunded, refunded_total_fen=gmv, paid_total_fen=gmv, units=1)
    assert _totals(one_creator) == {"orders": 0, "units": 0, "gmv": 0, "commission": 0}
