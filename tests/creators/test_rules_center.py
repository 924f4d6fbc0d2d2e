"""Rules center (规则中心): rules, the public violations board, FAQ, and the credit score
(信用分): confirming a violation deducts points and a low score suspends the right."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import Forbidden, InvalidInput
from creators.models import CartRight, CreditEvent, FaqEntry, RuleArticle, Violation
from creators.selectors import credit_score_of, mask_handle, mask_name
from creators.services import credit_restore, violation_confirm, violation_dismiss
from creators.services.rights import cart_rights_grant, require_cart_right
from notices.models import InboxMessage
from tests.factories.creators import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator():
    user = UserFactory(handle="linlin_chuanda", nickname="琳琳穿搭")
    cart_rights_grant(user=user, application=None, actor=None)
    return user


@pytest.fixture
def rule():
    return RuleArticle.objects.create(title="虚假宣传处罚规则", category="content", body="不得夸大商品功效。")


def _violation(creator, rule, points=2, kind="video", summary="视频中夸大商品功效"):
    return Violation.objects.create(creator=creator, rule=rule, right_kind=kind, summary=summary,
                                    points=points, occurred_on=timezone.localdate())


def test_url_names_are_stable():
    assert reverse("creators:rules") == "/rules/"
    assert reverse("creators:rule", args=[1]) == "/rules/1/"


def test_every_creator_starts_at_ten(creator):
    assert credit_score_of(creator) == 10


def test_confirming_a_violation_deducts_points_and_warns(creator, rule):
    violation = violation_confirm(violation_id=_violation(creator, rule, points=2).pk, actor=None)
    assert credit_score_of(creator) == 8
    assert (violation.status, violation.penalty, violation.score_after) == ("confirmed", "warning", 8)
    assert violation.is_published
    assert require_cart_right(creator, "video")  # still usable
    assert CreditEvent.objects.get(user=creator).delta == -2


def test_a_score_below_the_threshold_suspends_the_right_concerned(creator, rule, settings,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        violation = violation_confirm(violation_id=_violation(creator, rule, points=4).pk, actor=None)
    assert violation.penalty == "suspend" and credit_score_of(creator) == 6
    right = CartRight.objects.get(user=creator, kind="video")
    assert right.status == "suspended"
    assert right.suspended_until.date() == (timezone.now() + datetime.timedelta(days=7)).date()
    with pytest.raises(Forbidden) as exc:
        require_cart_right(creator, "video")
    assert exc.value.code == "right_suspended"
    assert require_cart_right(creator, "showcase")  # only the right concerned
    message = InboxMessage.objects.filter(recipient=creator, kind="credit.violation").get()
    assert "4" in message.display_title


def test_a_lower_score_suspends_longer_and_zero_revokes(creator, rule, settings):
    violation_confirm(violation_id=_violation(creator, rule, points=7, kind="live").pk, actor=None)
    right = CartRight.objects.get(user=creator, kind="live")
    assert right.suspended_until.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    last = violation_confirm(violation_id=_violation(creator, rule, points=5, kind="live").pk, actor=None)
    assert credit_score_of(creator) == 0 and last.penalty == "revoke"
    assert CartRight.objects.get(user=creator, kind="live").status == "revoked"


def test_thresholds_are_rows_of_the_penalty_ladder(creator, rule):
    from creators.models import PenaltyRule

    PenaltyRule.objects.create(kind="suspend", score_at_most=9, days=3)
    violation = violation_confirm(violation_id=_violation(creator, rule, points=1).pk, actor=None)
    assert violation.penalty == "suspend"


def test_a_violation_is_decided_once(creator, rule):
    violation = _violation(creator, rule, points=3)
    violation_confirm(violation_id=violation.pk, actor=None)
    with pytest.raises(InvalidInput):
        violation_confirm(violation_id=violation.pk, actor=None)
    with pytest.raises(InvalidInput):
        violation_dismiss(violation_id=violation.pk, actor=None)
    assert credit_score_of(creator) == 7


def test_dismissing_changes_no_score(creator, rule):
    violation_dismiss(violation_id=_violation(creator, rule).pk, actor=None)
    assert credit_score_of(creator) == 10
    assert not Violation.objects.filter(is_published=True).exists()


def test_restoring_points_stops_at_twelve(creator, rule):
    violation_confirm(violation_id=_violation(creator, rule, points=1).pk, actor=None)
    assert credit_restore(user=creator, points=5, reason="申诉成功", actor=None) == 12
    with pytest.raises(InvalidInput):
        credit_restore(user=creator, points=1, reason="", actor=None)


def test_confirm_action_in_admin(client, creator, rule):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.login(handle=staff.handle, password=PASSWORD)
    violation = _violation(creator, rule, points=5)
    response = client.post("/admin/creators/violation/", {"action": "confirm", "_selected_action": [violation.pk]})
    assert response.status_code == 302
    violation.refresh_from_db()
    assert violation.status == "confirmed" and violation.decided_by == staff
    assert CartRight.objects.get(user=creator, kind="video").status == "suspended"
    assert client.get(f"/admin/creators/violation/{violation.pk}/change/").status_code == 200


def test_the_board_shows_confirmed_published_violations_masked(client, creator, rule):
    violation_confirm(violation_id=_violation(creator, rule).pk, actor=None)
    _violation(creator, rule, summary="待审核的违规")
    body = client.get("/rules/", {"tab": "violations"}).content.decode()
    assert "视频中夸大商品功效" in body and "待审核的违规" not in body
    assert "琳***搭" in body and "li***a" in body
    assert "linlin_chuanda" not in body and "琳琳穿搭" not in body


def test_masking():
    assert mask_name("小美的日常") == "小***常"
    assert mask_name("阿杰") == "阿*"
    assert mask_handle("guoge_jiaxiang") == "gu***g"


def test_the_rules_tab_groups_published_rules(client, rule):
    RuleArticle.objects.create(title="草稿规则", category="content", body="…", is_published=False)
    RuleArticle.objects.create(title="直播商品须来源于橱窗", category="live", body="…")
    body = client.get("/rules/").content.decode()
    assert "虚假宣传处罚规则" in body and "直播商品须来源于橱窗" in body and "草稿规则" not in body
    assert client.get(f"/rules/{rule.pk}/").status_code == 200


def test_faq_tab_lists_the_questions(client):
    FaqEntry.objects.create(question="广告主要用购物车怎么办？", answer="广告主符合条件也可以开通。")
    body = client.get("/rules/", {"tab": "faq"}).content.decode()
    assert "广告主要用购物车怎么办？" in body


def test_a_creator_sees_their_score_and_history(client, creator, rule):
    violation_confirm(violation_id=_violation(creator, rule, points=3).pk, actor=None)
    client.login(handle=creator.handle, password=PASSWORD)
    response = client.get("/rules/", {"tab": "credit"})
    assert response.context["score"] == 7
    assert 'id="credit-history"' in response.content.decode()


def test_unknown_tab_is_400_and_unpublished_rule_is_404(client):
    response = client.get("/rules/", {"tab": "secret"})
    assert response.status_code == 400 and 'data-error-field="tab"' in response.content.decode()
    hidden = RuleArticle.objects.create(title="隐藏", category="content", body="…", is_published=False)
    assert client.get(f"/rules/{hidden.pk}/").status_code == 404


def test_operators_give_points_back_from_admin(client, creator, rule):
    from creators.models import CreditAccount

    violation_confirm(violation_id=_violation(creator, rule, points=3).pk, actor=None)
    account = CreditAccount.objects.get(user=creator)
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.login(handle=staff.handle, password=PASSWORD)
    url = "/admin/creators/creditaccount/"
    form = client.post(url, {"action": "restore", "_selected_action": [account.pk]})
    assert form.status_code == 200 and b"points" in form.content
    done = client.post(url, {"action": "restore", "_selected_action": [account.pk], "apply": "1",
                             "points": 2, "reason": "申诉成功"})
    assert done.status_code == 302
    assert credit_score_of(creator) == 9
    assert CreditEvent.objects.filter(user=creator, delta=2, actor=staff).exists()
