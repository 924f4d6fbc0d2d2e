"""In a real browser (issue 12): an operator records a violation in admin and confirms it,
the creator sees it with its rule and appeals, the operator upholds the appeal, and the
creator's right and points come back.

Mutation tried once: ``appeal_decide`` in ``creators/services/governance.py`` not lifting the
violation's penalties: the appeal is upheld and the points come back, but the live cart right stays
revoked (``assert 'revoked' == 'active'``)."""
import re

import pytest

from creators.models import Appeal, CartRight, PenaltyRule, RuleArticle, SeverityPoints, Violation
from creators.selectors import credit_score_of
from creators.services.credit import rule_version_current
from tests.factories.creators import PASSWORD, UserFactory
from tests.showcase.helpers import creator_with_rights

from .shots import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(db):
    # a transactional test starts from empty tables: the tables the data migration fills
    for severity, points in [("minor", 1), ("ordinary", 2), ("serious", 4), ("severe", 12)]:
        SeverityPoints.objects.get_or_create(severity=severity, defaults={"points": points})
    PenaltyRule.objects.get_or_create(kind="revoke", min_severity="severe", defaults={"days": 0})
    rule = RuleArticle.objects.create(code="LIVE-02", title="直播购物车规范", category="live",
                                      body="直播中禁止引导用户添加微信等私下交易。")
    rule_version_current(rule=rule)
    creator = creator_with_rights(handle="mengmeng_live", nickname="萌萌直播间")
    operator = UserFactory(handle="operator", is_staff=True, is_superuser=True)
    return {"rule": rule, "creator": creator, "operator": operator}


def _login_admin(page, base, user):
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", user.handle)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def _run_action(page, base, path, pk, action):
    page.goto(f"{base}{path}")
    page.check(f'input[name="_selected_action"][value="{pk}"]')
    page.select_option('select[name="action"]', action)
    page.click('button[name="index"]')


def test_operator_records_creator_appeals_operator_upholds_rights_come_back(live_server, page_factory, world):
    base, rule, creator = live_server.url, world["rule"], world["creator"]
    admin = page_factory(desktop=True)
    _login_admin(admin, base, world["operator"])

    # 1. The operator records a severe violation and confirms it: the live right is revoked at once.
    admin.goto(f"{base}/admin/creators/violation/add/")
    admin.fill("#id_creator", str(creator.pk))
    admin.select_option("#id_rule", str(rule.pk))
    admin.select_option("#id_severity", "severe")
    admin.select_option("#id_right_kind", "live")
    admin.fill("#id_summary", "直播中引导观众添加微信私下交易")
    admin.fill("#id_evidence", "第3分钟口播微信号并展示二维码")
    admin.fill("#id_occurred_on", "2026-12-01")
    admin.click('input[name="_save"]')
    admin.wait_for_url(re.compile(r"/admin/creators/violation/$"))
    violation = Violation.objects.get()
    assert violation.points == 12 and violation.rule_version.version == 1
    _run_action(admin, base, "/admin/creators/violation/", violation.pk, "confirm")
    admin.locator(".messagelist .success").wait_for()
    assert CartRight.objects.get(user=creator, kind="live").status == "revoked"
    shoot(admin, "operator", "violations")

    # 2. The creator sees it with its rule, evidence and penalty, and appeals.
    me = page_factory()
    me.goto(f"{base}/login/?next=/me/violations/")
    me.fill("#id_username", creator.handle)
    me.fill("#id_password", PASSWORD)
    me.click("button[type=submit]")
    me.wait_for_url(re.compile(r"/me/violations/$"))
    me.click(f'a[href="/me/violations/{violation.pk}/"]')
    assert "LIVE-02" in me.locator("#violation-rule").inner_text()
    assert "禁止引导用户添加微信" in me.locator("#violation-rule").inner_text()
    assert "二维码" in me.locator("#violation-evidence").inner_text()
    shoot(me, "creator", "violation")
    me.fill("#id_text", "那是官方客服微信，用于售后，不是私下交易。")
    me.click("#appeal-form button[type=submit]")
    me.locator("#appeal-status").wait_for()
    appeal = Appeal.objects.get()

    # 3. The operator upholds the appeal with an answer.
    _run_action(admin, base, "/admin/creators/appeal/", appeal.pk, "uphold")
    admin.fill("#id_note", "核实为官方售后渠道，申诉成立。")
    admin.click('#appeal-decide input[type=submit]')
    admin.locator(".messagelist .success").wait_for()
    shoot(admin, "operator", "appeals")

    # 4. The creator's right and points are back, and the page says so.
    assert CartRight.objects.get(user=creator, kind="live").status == "active"
    assert credit_score_of(creator) == 10
    me.goto(f"{base}/me/violations/{violation.pk}/")
    assert me.locator("#appeal-status").inner_text().strip() in ("申诉成立", "Upheld")
    assert me.locator("#violation-status").inner_text().strip() in ("申诉成功已撤销", "Overturned on appeal")
    shoot(me, "creator", "appeal-upheld")


def test_operator_approves_a_withdrawal_and_reads_a_reconciliation(live_server, page_factory, world):
    """The operator's money desk in admin: a creator's withdrawal approved (and sent to the payout
    gateway), then a day's reconciliation with its mismatch read."""
    from django.utils import timezone

    from affiliates.sources.values import CN_TZ
    from commissions.payouts import services as payouts
    from commissions.payouts.models import Withdrawal
    from commissions.reconcile.inprocess import sandbox_in_process
    from commissions.reconcile.services import reconcile_payments
    from tests.commissions.withdrawal_helpers import creator_owner
    from tests.orders.helpers import pay, place, shop_product, shopper

    base = live_server.url
    owner = creator_owner(available_fen=50_000)
    withdrawal, _ = payouts.withdrawal_request(owner=owner, amount_fen=12_000, idempotency_key="journey-1")
    product, (sku,) = shop_product(stock=5, price_fen=4200)
    pay(place(shopper(), product, sku))
    with sandbox_in_process():  # the gateway's statement (对账单), fetched through the real client
        run = reconcile_payments(day=timezone.localtime(timezone.now(), CN_TZ).date())
    assert run.status == "done" and run.matched_count == 1, (run.status, run.error, run.matched_count)

    admin = page_factory(desktop=True)
    _login_admin(admin, base, world["operator"])
    admin.goto(f"{base}/admin/payouts/withdrawal/")
    shoot(admin, "operator", "withdrawals")
    _run_action(admin, base, "/admin/payouts/withdrawal/", withdrawal.pk, "approve_selected")
    admin.locator(".messagelist .success").wait_for()
    assert Withdrawal.objects.get(pk=withdrawal.pk).status in ("approved", "paid", "failed")
    shoot(admin, "operator", "withdrawal-approved")

    admin.goto(f"{base}/admin/reconcile/reconciliationrun/{run.pk}/change/")
    text = admin.locator("#content").inner_text()
    assert run.day.isoformat() in text and "42.00" in text
    shoot(admin, "operator", "reconciliation")

    admin.goto(f"{base}/admin/")  # every section of the back office reads in Chinese
    text = admin.locator("#content-main").inner_text()
    assert "开放平台授权" in text and "Django OAuth Toolkit" not in text
    shoot(admin, "operator", "admin-home")
