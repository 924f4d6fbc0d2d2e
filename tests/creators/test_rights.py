"""Rights: granted together, checked on the server, suspended until a date or revoked."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import Forbidden, InvalidInput
from creators.models import CartRight
from creators.selectors import cart_rights_for
from creators.services import (
    cart_application_approve,
    cart_application_submit,
    cart_right_reinstate,
    cart_right_revoke,
    cart_right_suspend,
    require_cart_right,
)
from notices.models import InboxMessage
from tests.factories.creators import UserFactory, make_eligible

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator():
    user = make_eligible(UserFactory())
    cart_application_approve(application=cart_application_submit(applicant=user, entry_point="creator_center"),
                             reviewer=None)
    return user


def test_no_right_without_approval(user):
    with pytest.raises(Forbidden) as err:
        require_cart_right(user, "video")
    assert err.value.code == "no_right" and "视频购物车" in err.value.message


def test_approved_creator_has_all_three(creator):
    for kind in ("showcase", "video", "live"):
        assert require_cart_right(creator, kind).kind == kind
    assert [s.status for s in cart_rights_for(creator)] == ["active", "active", "active"]


def test_suspended_right_is_refused_saying_until_when(creator, django_capture_on_commit_callbacks):
    until = timezone.now() + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        cart_right_suspend(user=creator, kind="live", until=until, reason="直播中引导站外交易")
    with pytest.raises(Forbidden) as err:
        require_cart_right(creator, "live")
    assert err.value.code == "right_suspended"
    assert timezone.localtime(until).strftime("%Y-%m-%d") in err.value.message and "引导站外交易" in err.value.message
    require_cart_right(creator, "video")  # the others are untouched
    assert InboxMessage.objects.filter(recipient=creator, kind="cart_right.suspended").exists()


def test_suspension_ends_by_itself(creator, monkeypatch):
    cart_right_suspend(user=creator, kind="video", until=timezone.now() + timedelta(hours=1), reason="违规")
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert require_cart_right(creator, "video")


def test_revoked_right_is_refused_with_the_reason(creator):
    cart_right_revoke(user=creator, kind="showcase", reason="售卖假冒商品")
    with pytest.raises(Forbidden) as err:
        require_cart_right(creator, "showcase")
    assert err.value.code == "right_revoked" and "售卖假冒商品" in err.value.message
    cart_right_reinstate(user=creator, kind="showcase")
    assert require_cart_right(creator, "showcase")
    right = CartRight.objects.get(user=creator, kind="showcase")
    assert [(h.from_status, h.to_status) for h in right.history.all()] == [
        ("", "active"), ("active", "revoked"), ("revoked", "active")]


def test_suspend_and_revoke_need_a_reason_and_a_future_end(creator):
    with pytest.raises(InvalidInput) as err:
        cart_right_revoke(user=creator, kind="video", reason="")
    assert err.value.field == "reason"
    with pytest.raises(InvalidInput) as err:
        cart_right_suspend(user=creator, kind="video", until=timezone.now() - timedelta(minutes=1), reason="x")
    assert err.value.field == "until"


def test_messages_speak_english_too(creator, settings):
    from django.utils import translation

    cart_right_revoke(user=creator, kind="live", reason="fake goods")
    with translation.override("en"), pytest.raises(Forbidden) as err:
        require_cart_right(creator, "live")
    assert str(err.value.message) == "Your Live cart right was revoked: fake goods"


def test_me_page_shows_the_three_rights_and_their_state(client, creator):
    cart_right_suspend(user=creator, kind="live", until=timezone.now() + timedelta(days=3), reason="违规")
    client.force_login(creator)
    html = client.get(reverse("creators:me")).content.decode()
    for label in ("商品橱窗", "视频购物车", "直播购物车"):
        assert label in html
    assert "已暂停" in html and html.count("pill--ok") >= 2


def test_me_page_hides_rights_before_approval(logged_in):
    assert 'data-right="video"' not in logged_in.get(reverse("creators:me")).content.decode()


def test_rights_api(api_client, creator):
    api_client.force_authenticate(creator)
    rights = api_client.get("/api/v1/creators/me/rights").json()
    assert [(r["kind"], r["status"]) for r in rights] == [("showcase", "active"), ("video", "active"), ("live", "active")]


def test_admin_suspend_and_revoke_actions(staff_client, creator):
    changelist = reverse("admin:creators_cartright_changelist")
    live = CartRight.objects.get(user=creator, kind="live")
    video = CartRight.objects.get(user=creator, kind="video")
    response = staff_client.post(changelist, {"action": "suspend_selected", "_selected_action": [live.pk], "apply": "1",
                                              "reason": "违规", "until": ""})
    assert response.status_code == 200
    live.refresh_from_db()
    assert live.status == "active"
    until = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    staff_client.post(changelist, {"action": "suspend_selected", "_selected_action": [live.pk], "apply": "1",
                                   "reason": "违规", "until": until})
    staff_client.post(changelist, {"action": "revoke_selected", "_selected_action": [video.pk], "apply": "1",
                                   "reason": "虚假宣传"})
    live.refresh_from_db()
    video.refresh_from_db()
    assert live.status == "suspended" and video.status == "revoked" and video.reason == "虚假宣传"
    staff_client.post(changelist, {"action": "reinstate_selected", "_selected_action": [video.pk]})
    video.refresh_from_db()
    assert video.status == "active"
