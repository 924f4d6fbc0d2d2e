"""Governance (issue 12): severity points, the penalty ladder, penalties acting at once and
lifting at their end, appeals, points coming back, and the creator's view of a violation."""
import datetime

import pytest
from django.utils import timezone

from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from creators.models import (
    Appeal,
    CartRight,
    CreditEvent,
    FaqEntry,
    Penalty,
    PenaltyRule,
    RuleArticle,
    SeverityPoints,
    Violation,
)
from creators.selectors import credit_score_of, right_block_reason, withdrawal_block_reason
from creators.services import violation_confirm
from creators.services.credit import penalty_for, rule_version_current, violation_record
from creators.services.governance import (
    appeal_decide,
    appeal_submit,
    credit_clean_restore,
    credit_quiz_restore,
    penalties_lift_due,
)
from creators.services.rights import cart_rights_grant, require_cart_right
from creators.tasks import penalties_lift_due_task
from notices.models import InboxMessage
from tests.factories.creators import PASSWORD, UserFactory, cover_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator():
    user = UserFactory(handle="xiaoqi_haowu", nickname="好物推荐官小七")
    cart_rights_grant(user=user, application=None, actor=None)
    return user


@pytest.fixture
def rule():
    return RuleArticle.objects.create(code="CONTENT-01", title="虚假宣传处罚规则", category="content",
                                      body="不得夸大商品功效。")


def _record(creator, rule, severity="ordinary", kind="video", summary="视频中夸大商品功效", **extra):
    violation = Violation(creator=creator, rule=rule, severity=severity, right_kind=kind, summary=summary,
                          occurred_on=timezone.localdate(), **extra)
    return violation_record(violation=violation, actor=None)


def _confirm(creator, rule, capture=None, **kwargs):
    return violation_confirm(violation_id=_record(creator, rule, **kwargs).pk, actor=None)


def _messages(user, kind):
    return InboxMessage.objects.filter(recipient=user, kind=kind)


# --- rules and points ---------------------------------------------------------------------------

def test_the_guides_faq_is_installed_by_the_migration():
    questions = set(FaqEntry.objects.values_list("question", flat=True))
    assert {"广告主要用购物车怎么办？", "用户在抖音买了商品找不到订单怎么办？", "与淘宝京东的合作方式？",
            "添加商品时的小店、精选商品、淘宝商品分别指什么？"} <= questions
    assert len(questions) >= 5


def test_points_come_from_the_severity_table_not_from_the_operator(creator, rule):
    SeverityPoints.objects.filter(severity="ordinary").update(points=3)
    violation = _record(creator, rule, severity="ordinary", points=9)
    assert violation.points == 3


def test_a_violation_needs_a_severity(creator, rule):
    with pytest.raises(InvalidInput) as exc:
        _record(creator, rule, severity="")
    assert exc.value.field == "severity"


def test_a_violation_quotes_the_rule_version_in_force_when_recorded(creator, rule):
    first = _record(creator, rule)
    rule.body = "不得夸大商品功效，不得使用绝对化用语。"
    rule.save()
    rule_version_current(rule=rule)
    second = _record(creator, rule)
    assert (first.rule_version.version, second.rule_version.version) == (1, 2)
    assert first.rule_version.body == "不得夸大商品功效。"
    rule.refresh_from_db()
    assert rule.version == 2


def test_the_score_never_goes_below_zero(creator, rule):
    _confirm(creator, rule, severity="severe")  # 12 points from 10
    assert credit_score_of(creator) == 0


def test_points_given_back_never_pass_twelve(creator, rule):
    _confirm(creator, rule, severity="minor")
    assert credit_quiz_restore(user=creator, points=5, quiz_title="规则测验") == 12
    assert CreditEvent.objects.filter(user=creator, kind="quiz").get().delta == 3


# --- the ladder ---------------------------------------------------------------------------------

def test_the_ladder_chooses_the_most_severe_rung_that_applies():
    # seeded ladder: minor→warning, ordinary→product removal, score≤6→suspend 7d, score≤3→suspend 30d,
    # serious→freeze 30d, severe→revoke, score≤0→revoke
    assert penalty_for(9, "minor") == ("warning", 0)
    assert penalty_for(9, "ordinary") == ("remove_product", 0)
    assert penalty_for(6, "ordinary") == ("suspend", 7)
    assert penalty_for(3, "minor") == ("suspend", 30)
    assert penalty_for(6, "serious") == ("freeze", 30)
    assert penalty_for(8, "severe") == ("revoke", 0)
    assert penalty_for(0, "minor") == ("revoke", 0)


def test_an_inactive_rung_does_not_apply():
    PenaltyRule.objects.filter(kind="freeze").update(is_active=False)
    assert penalty_for(6, "serious") == ("suspend", 7)


def test_a_suspension_acts_at_once_on_every_write_of_that_right(creator, rule):
    SeverityPoints.objects.filter(severity="serious").update(points=4)
    PenaltyRule.objects.filter(kind="freeze").delete()
    violation = _confirm(creator, rule, severity="serious")  # 10 → 6: suspend 7 days
    assert violation.penalty == "suspend"
    assert "suspended" in right_block_reason(creator, "video") or "暂停" in right_block_reason(creator, "video")
    with pytest.raises(Forbidden):
        require_cart_right(creator, "video")
    assert right_block_reason(creator, "showcase") is None
    assert Penalty.objects.get(violation=violation).ends_at is not None


def test_a_freeze_refuses_withdrawals_with_the_reason(creator, rule):
    violation = _confirm(creator, rule, severity="serious")
    assert violation.penalty == "freeze"
    reason = withdrawal_block_reason(creator)
    assert reason and "虚假宣传处罚规则" in reason
    assert withdrawal_block_reason(UserFactory()) is None


def test_a_severe_violation_revokes_the_right(creator, rule):
    violation = _confirm(creator, rule, severity="severe", kind="live")
    assert violation.penalty == "revoke"
    assert CartRight.objects.get(user=creator, kind="live").status == "revoked"


def test_product_removal_is_announced_to_the_rooms_holding_products(creator, rule, django_capture_on_commit_callbacks):
    from creators.signals import penalty_products_removed

    seen = []

    def receiver(sender, violation, **kwargs):
        seen.append(violation.pk)

    from django.contrib.contenttypes.models import ContentType

    from creators.models import Video
    from tests.factories.creators import VideoFactory

    video = VideoFactory(owner=creator)
    penalty_products_removed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            violation = _confirm(creator, rule, severity="ordinary", related_id=video.pk,
                                 related_type=ContentType.objects.get_for_model(Video))
            other = UserFactory()
            cart_rights_grant(user=other, application=None, actor=None)
            unnamed = _confirm(other, rule, severity="ordinary")
    finally:
        penalty_products_removed.disconnect(receiver)
    assert violation.penalty == "remove_product" and seen == [violation.pk]
    assert unnamed.penalty == "warning"  # names nothing to take down


# --- the end of penalties ------------------------------------------------------------------------

def test_the_periodic_task_lifts_an_ended_suspension_and_tells_the_creator(creator, rule,
                                                                          django_capture_on_commit_callbacks):
    PenaltyRule.objects.filter(kind="freeze").delete()
    SeverityPoints.objects.filter(severity="serious").update(points=4)
    violation = _confirm(creator, rule, severity="serious")
    penalty = Penalty.objects.get(violation=violation)
    assert penalties_lift_due() == 0  # not yet
    past = timezone.now() - datetime.timedelta(minutes=1)
    Penalty.objects.filter(pk=penalty.pk).update(ends_at=past)
    CartRight.objects.filter(user=creator, kind="video").update(suspended_until=past)
    with django_capture_on_commit_callbacks(execute=True):
        assert penalties_lift_due_task.delay().get() == 1
    penalty.refresh_from_db()
    assert penalty.lifted_at is not None
    assert CartRight.objects.get(user=creator, kind="video").status == "active"
    assert _messages(creator, "credit.penalty_lifted").exists()
    assert penalties_lift_due() == 0  # once


def test_a_freeze_ends_and_withdrawals_open_again(creator, rule, django_capture_on_commit_callbacks):
    violation = _confirm(creator, rule, severity="serious")
    Penalty.objects.filter(violation=violation).update(ends_at=timezone.now() - datetime.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert penalties_lift_due() == 1
    assert withdrawal_block_reason(creator) is None
    assert _messages(creator, "credit.penalty_lifted").exists()


# --- appeals ----------------------------------------------------------------------------------------

def test_an_upheld_appeal_restores_the_points_and_lifts_the_penalty(creator, rule, django_capture_on_commit_callbacks):
    operator = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        violation = _confirm(creator, rule, severity="severe", kind="video")
        assert credit_score_of(creator) == 0
        appeal = appeal_submit(user=creator, violation_id=violation.pk, text="视频里的功效有检测报告。",
                               images=[cover_upload("report.jpg")])
        appeal_decide(appeal_id=appeal.pk, uphold=True, note="证据属实", actor=operator)
    assert credit_score_of(creator) == 10
    violation.refresh_from_db()
    assert violation.status == "overturned" and not violation.is_published
    assert CartRight.objects.get(user=creator, kind="video").status == "active"
    assert not Penalty.objects.filter(violation=violation, lifted_at__isnull=True).exists()
    assert appeal.images.count() == 1
    kinds = set(InboxMessage.objects.filter(recipient=creator).values_list("kind", flat=True))
    assert {"credit.violation", "credit.appeal_received", "credit.appeal_upheld"} <= kinds


def test_a_rejected_appeal_needs_a_reason_and_keeps_the_penalty(creator, rule):
    violation = _confirm(creator, rule, severity="serious")
    appeal = appeal_submit(user=creator, violation_id=violation.pk, text="我不同意。")
    with pytest.raises(InvalidInput) as exc:
        appeal_decide(appeal_id=appeal.pk, uphold=False, note="", actor=None)
    assert exc.value.field == "note"
    appeal_decide(appeal_id=appeal.pk, uphold=False, note="证据确凿", actor=None)
    assert withdrawal_block_reason(creator) is not None
    assert credit_score_of(creator) == 6
    with pytest.raises(InvalidInput):
        appeal_decide(appeal_id=appeal.pk, uphold=True, note="", actor=None)


def test_a_violation_is_appealed_once(creator, rule):
    violation = _confirm(creator, rule)
    appeal_submit(user=creator, violation_id=violation.pk, text="第一次申诉")
    with pytest.raises(Conflict):
        appeal_submit(user=creator, violation_id=violation.pk, text="第二次申诉")
    assert Appeal.objects.count() == 1


def test_an_appeal_comes_within_appeal_days(creator, rule, settings):
    settings.APPEAL_DAYS = 7
    violation = _confirm(creator, rule)
    Violation.objects.filter(pk=violation.pk).update(decided_at=timezone.now() - datetime.timedelta(days=8))
    with pytest.raises(InvalidInput) as exc:
        appeal_submit(user=creator, violation_id=violation.pk, text="晚了")
    assert exc.value.code == "appeal_closed"


def test_only_the_creator_appeals_and_only_with_text(creator, rule):
    violation = _confirm(creator, rule)
    with pytest.raises(NotFound):
        appeal_submit(user=UserFactory(), violation_id=violation.pk, text="不是我的")
    with pytest.raises(InvalidInput) as exc:
        appeal_submit(user=creator, violation_id=violation.pk, text="   ")
    assert exc.value.field == "text"
    assert not Appeal.objects.exists()


# --- points coming back -----------------------------------------------------------------------------

def test_a_clean_period_gives_points_back_step_by_step(creator, rule, settings):
    settings.CREDIT_CLEAN_PERIOD_DAYS = 30
    settings.CREDIT_CLEAN_RESTORE_POINTS = 1
    _confirm(creator, rule, severity="minor")  # 9
    assert credit_clean_restore(user_id=creator.pk) is None  # too soon
    CreditEvent.objects.filter(user=creator).update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert credit_clean_restore(user_id=creator.pk) == 10
    assert credit_clean_restore(user_id=creator.pk) is None  # the next step needs another period


# --- the creator's view -----------------------------------------------------------------------------

def test_the_creator_sees_the_rule_evidence_points_penalty_and_appeals_from_the_page(client, creator, rule):
    violation = _confirm(creator, rule, severity="serious", evidence="视频第12秒宣称“三天美白”")
    client.login(handle=creator.handle, password=PASSWORD)
    body = client.get(f"/me/violations/{violation.pk}/").content.decode()
    assert "CONTENT-01" in body and "不得夸大商品功效。" in body and "三天美白" in body
    assert 'id="appeal-form"' in body
    bad = client.post(f"/me/violations/{violation.pk}/", {"text": ""})
    assert bad.status_code == 400 and not Appeal.objects.exists()
    ok = client.post(f"/me/violations/{violation.pk}/", {"text": "有检测报告", "images": [cover_upload()]})
    assert ok.status_code == 302
    assert Appeal.objects.get(violation=violation).images.count() == 1
    assert 'id="appeal-form"' not in client.get(f"/me/violations/{violation.pk}/").content.decode()
    assert violation.summary in client.get("/me/violations/").content.decode()


def test_another_creators_violation_is_404(client, creator, rule):
    violation = _confirm(creator, rule)
    other = UserFactory()
    client.login(handle=other.handle, password=PASSWORD)
    assert client.get(f"/me/violations/{violation.pk}/").status_code == 404
    assert client.post(f"/me/violations/{violation.pk}/", {"text": "x"}).status_code == 404


def test_lifting_a_penalty_keeps_a_longer_suspension_an_operator_set(creator, rule,
                                                                   django_capture_on_commit_callbacks):
    from creators.services.rights import cart_right_suspend

    PenaltyRule.objects.filter(kind="freeze").delete()
    SeverityPoints.objects.filter(severity="serious").update(points=4)
    violation = _confirm(creator, rule, severity="serious")  # suspends the video right 7 days
    longer = timezone.now() + datetime.timedelta(days=60)
    cart_right_suspend(user=creator, kind="video", until=longer, reason="人工复核中")
    appeal = appeal_submit(user=creator, violation_id=violation.pk, text="申诉")
    appeal_decide(appeal_id=appeal.pk, uphold=True, note="", actor=None)
    right = CartRight.objects.get(user=creator, kind="video")
    assert right.status == "suspended" and right.suspended_until == longer


def test_the_rule_page_shows_its_code_and_version(client, rule):
    rule_version_current(rule=rule)
    rule.body = "新版正文"
    rule.save()
    rule_version_current(rule=rule)
    body = client.get(f"/rules/{rule.pk}/").content.decode()
    assert "CONTENT-01" in body and "第 1 版" not in body and ("第 2 版" in body or "version 2" in body)
