"""Governance API (issue 12 §5): a creator reads their violations with the rule quoted and
appeals once; someone else's violation is 404; bad input is a 4xx naming the field."""
import pytest
from django.utils import timezone

from creators.models import Appeal, RuleArticle, Violation
from creators.services import violation_confirm
from creators.services.credit import violation_record
from creators.services.rights import cart_rights_grant
from tests.factories.creators import UserFactory, cover_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator():
    user = UserFactory()
    cart_rights_grant(user=user, application=None, actor=None)
    return user


@pytest.fixture
def violation(creator):
    rule = RuleArticle.objects.create(code="CONTENT-01", title="虚假宣传处罚规则", category="content",
                                      body="不得夸大商品功效。")
    recorded = violation_record(violation=Violation(
        creator=creator, rule=rule, severity="serious", right_kind="video", summary="视频中宣称三天美白",
        evidence="第5秒字幕", occurred_on=timezone.localdate()), actor=None)
    return violation_confirm(violation_id=recorded.pk, actor=None)


def test_a_creator_reads_their_violation_with_the_rule_quoted(api_client, creator, violation):
    api_client.force_authenticate(creator)
    listed = api_client.get("/api/v1/creators/me/violations").json()
    assert [v["id"] for v in listed] == [violation.pk]
    one = api_client.get(f"/api/v1/creators/me/violations/{violation.pk}").json()
    assert one["rule"]["code"] == "CONTENT-01" and one["rule"]["body"] == "不得夸大商品功效。"
    assert one["points"] == 4 and one["penalty"] == "freeze" and one["penalties"][0]["ends_at"]
    assert one["evidence"] == "第5秒字幕" and one["appeal"] is None and one["appeal_until"]


def test_someone_elses_violation_is_404_and_cannot_be_appealed(api_client, violation):
    api_client.force_authenticate(UserFactory())
    assert api_client.get(f"/api/v1/creators/me/violations/{violation.pk}").status_code == 404
    assert api_client.post(f"/api/v1/creators/me/violations/{violation.pk}/appeal",
                           {"text": "x"}, format="json").status_code == 404
    assert api_client.get("/api/v1/creators/me/violations").json() == []
    assert not Appeal.objects.exists()


def test_an_appeal_through_the_api_once_with_images(api_client, creator, violation):
    api_client.force_authenticate(creator)
    url = f"/api/v1/creators/me/violations/{violation.pk}/appeal"
    empty = api_client.post(url, {"text": ""}, format="json")
    assert empty.status_code == 400 and empty.json()["error"]["field"] == "text"
    made = api_client.post(url, {"text": "有检测报告", "images": [cover_upload()]}, format="multipart")
    assert made.status_code == 201 and made.json()["status"] == "pending"
    again = api_client.post(url, {"text": "再申诉"}, format="json")
    assert again.status_code == 409
    assert Appeal.objects.get().images.count() == 1


def test_too_many_images_name_the_field(api_client, creator, violation, settings):
    settings.APPEAL_MAX_IMAGES = 1
    api_client.force_authenticate(creator)
    response = api_client.post(f"/api/v1/creators/me/violations/{violation.pk}/appeal",
                               {"text": "证据", "images": [cover_upload("a.jpg"), cover_upload("b.jpg")]},
                               format="multipart")
    assert response.status_code == 400 and response.json()["error"]["field"] == "images"
    assert not Appeal.objects.exists()


def test_visitors_are_asked_to_sign_in(api_client):
    assert api_client.get("/api/v1/creators/me/violations").status_code in (401, 403)
