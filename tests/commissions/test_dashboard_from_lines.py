"""The data dashboard and the leaderboard show commission from the commission lines: a native
sale's line, its refund, and an outside (JD) sale all reach the creator's daily figures; a sale of
the creator's own shop product earns no line and so no commission there."""
import pytest
from django.db.models import Sum

from commissions.models import CommissionLine
from showcase.stats.models import DailyStat
from tests.factories.creators import UserFactory

from .helpers import creator, line_of, refund, sale

pytestmark = pytest.mark.django_db


def _commission(user) -> int:
    return DailyStat.objects.filter(creator=user).aggregate(c=Sum("commission_fen"))["c"] or 0


def test_the_dashboard_commission_is_the_lines_commission_after_refunds(django_capture_on_commit_callbacks):
    me = creator()
    with django_capture_on_commit_callbacks(execute=True):
        order = sale(me, price_fen=3333, rate_bp=1500, quantity=3)
    refund(order, django_capture_on_commit_callbacks, amount="33.33")
    assert _commission(me) == line_of(order).commission_fen == 1000


def test_an_own_shop_sale_shows_no_commission(django_capture_on_commit_callbacks):
    from tests.factories.affiliates import ShopFactory

    me = creator()
    with django_capture_on_commit_callbacks(execute=True):
        sale(me, shop=ShopFactory(owner=me), rate_bp=2000)
    assert _commission(me) == 0


def test_outside_commission_reaches_the_dashboard(sandbox, django_capture_on_commit_callbacks):
    from tests.orders.test_external_orders import bought, pull

    me = creator()
    bought("jd", UserFactory(), me)
    pull(django_capture_on_commit_callbacks, "jd")
    assert _commission(me) == CommissionLine.objects.get().commission_fen > 0
