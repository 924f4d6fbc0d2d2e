"""Outside commission (JD, Kaola, Vipshop, Suning) through the real path: a purchase at the
sandbox source → the order-report pull → ``order_reports_stored`` → a line with the click's
creator, the source's commission minus the fee; settled as and when the report says; a report
that lowers the commission adjusts the line; Taobao never makes a line; replays change nothing."""
from datetime import timedelta

import pytest
from django.utils import timezone

from affiliates.sandbox.models import SandboxOrder
from affiliates.sandbox.services import sandbox_order_finish, sandbox_order_refund
from affiliates.sandbox.services import sandbox_order_settle as _settle
from affiliates.sync.models import OrderReport
from commissions.ledger import creator_balances, ledger_check
from commissions.models import CommissionLine, LedgerEntry, LineStatus
from commissions.services import external_reports_apply
from tests.factories.creators import UserFactory
from tests.orders.test_external_orders import bought, pull
from tests.showcase.helpers import creator_with_rights

pytestmark = pytest.mark.django_db


def bought_again(product, creator):
    """Another shopper buys the same product from the creator's showcase."""
    from affiliates.sandbox.services import sandbox_order_create
    from orders import services
    from showcase.tracking import Via
    from tests.orders.test_external_orders import backdate

    click = services.click_create(product_id=product.pk, via=Via(channel="showcase", creator_id=creator.pk),
                                  shopper=UserFactory())
    backdate(click, 30)
    return sandbox_order_create(source=product.source, external_id=product.external_id, click_id=click.id,
                                at=timezone.now() - timedelta(minutes=29))


def sandbox_order_settle(*, order, at):
    """The shopper confirms receipt, then the source settles the commission."""
    sandbox_order_finish(order=order, at=at - timedelta(seconds=30))
    return _settle(order=order, at=at)


@pytest.mark.parametrize("source", ["jd", "kaola", "vip", "suning"])
def test_an_outside_sale_makes_a_line_of_the_sources_commission_minus_the_fee(
        source, sandbox, django_capture_on_commit_callbacks):
    creator = creator_with_rights()
    _product, click, sb = bought(source, UserFactory(), creator)
    pull(django_capture_on_commit_callbacks, source)
    line = CommissionLine.objects.get()
    assert (line.source, line.creator_id, line.channel, line.click_id) == (source, creator.pk, "showcase", click.id)
    assert line.commission_fen == sb.estimated_commission_fen > 0
    assert line.fee_fen + line.net_fen == line.commission_fen and line.fee_bp == 1000
    assert line.status == LineStatus.ESTIMATED and creator_balances(creator.pk).pending_fen == line.net_fen


def test_an_outside_line_settles_when_the_report_says_settled_with_its_amount_and_date(
        sandbox, django_capture_on_commit_callbacks):
    creator = creator_with_rights()
    _product, _click, sb = bought("jd", UserFactory(), creator)
    pull(django_capture_on_commit_callbacks, "jd")
    settled_at = timezone.now() - timedelta(minutes=3)
    sandbox_order_settle(order=sb, at=settled_at)
    pull(django_capture_on_commit_callbacks, "jd")
    line = CommissionLine.objects.get()
    assert line.status == LineStatus.SETTLED and line.settled_net_fen == line.net_fen
    assert abs((line.settled_at - settled_at).total_seconds()) < 2
    balances = creator_balances(creator.pk)
    assert (balances.pending_fen, balances.available_fen) == (0, line.net_fen)
    assert ledger_check(record=False).ok


def test_a_report_that_lowers_the_commission_adjusts_the_line(sandbox, django_capture_on_commit_callbacks):
    creator = creator_with_rights()
    _product, _click, sb = bought("kaola", UserFactory(), creator)
    pull(django_capture_on_commit_callbacks, "kaola")
    before = CommissionLine.objects.get().commission_fen
    SandboxOrder.objects.filter(pk=sb.pk).update(estimated_commission_fen=before // 2,
                                                 updated_at=timezone.now() - timedelta(minutes=2))
    pull(django_capture_on_commit_callbacks, "kaola")
    line = CommissionLine.objects.get()
    assert line.commission_fen == before // 2 and line.fee_fen + line.net_fen == before // 2
    assert creator_balances(creator.pk).pending_fen == line.net_fen


def test_an_outside_refund_cancels_before_settling_and_claws_back_after(sandbox, django_capture_on_commit_callbacks):
    creator = creator_with_rights()
    product, _c, first = bought("jd", UserFactory(), creator)
    second = bought_again(product, creator)
    pull(django_capture_on_commit_callbacks, "jd")
    sandbox_order_settle(order=second, at=timezone.now() - timedelta(minutes=4))
    pull(django_capture_on_commit_callbacks, "jd")
    settled_net = CommissionLine.objects.get(order_number=second.order_id).net_fen
    sandbox_order_refund(order=first, at=timezone.now() - timedelta(minutes=3))
    # After settling, the source takes the commission back (a refund after settlement, 维权).
    SandboxOrder.objects.filter(pk=second.pk).update(settled_commission_fen=0,
                                                     updated_at=timezone.now() - timedelta(minutes=3))
    pull(django_capture_on_commit_callbacks, "jd")
    lines = {line.order_number: line for line in CommissionLine.objects.all()}
    assert lines[first.order_id].status == LineStatus.CANCELLED and lines[first.order_id].net_fen == 0
    assert lines[second.order_id].status == LineStatus.CLAWED_BACK
    assert lines[second.order_id].clawed_back_fen == settled_net > 0
    assert creator_balances(creator.pk).available_fen == 0 and creator_balances(creator.pk).pending_fen == 0
    assert ledger_check(record=False).ok


def test_taobao_sales_make_no_commission_line(sandbox, django_capture_on_commit_callbacks):
    creator = creator_with_rights()
    bought("taobao", UserFactory(), creator)
    pull(django_capture_on_commit_callbacks, "taobao")
    assert OrderReport.objects.filter(source="taobao").exists()
    assert not CommissionLine.objects.exists()


def test_replaying_every_report_changes_nothing(sandbox, django_capture_on_commit_callbacks):
    creator = creator_with_rights()
    _p, _c, sb = bought("suning", UserFactory(), creator)
    pull(django_capture_on_commit_callbacks, "suning")
    sandbox_order_settle(order=sb, at=timezone.now() - timedelta(minutes=2))
    pull(django_capture_on_commit_callbacks, "suning")
    before = (LedgerEntry.objects.count(), creator_balances(creator.pk))
    external_reports_apply(report_ids=list(OrderReport.objects.values_list("pk", flat=True)))
    pull(django_capture_on_commit_callbacks, "suning")
    assert (LedgerEntry.objects.count(), creator_balances(creator.pk)) == before
