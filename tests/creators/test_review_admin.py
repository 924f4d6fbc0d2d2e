"""Operators review applications in Django admin; approval grants three rights and the
commerce assistant tells the applicant, after commit."""
import pytest
from django.urls import reverse

from creators.models import CartApplication, CartRight
from creators.services import cart_application_submit
from notices.models import InboxMessage
from tests.factories.creators import UserFactory, make_eligible

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:creators_cartapplication_changelist"


@pytest.fixture
def pending():
    applicant = make_eligible(UserFactory(handle="tangtang", nickname="糖糖"))
    return cart_application_submit(applicant=applicant, entry_point="showcase")


def test_pending_applications_are_listed_with_filters_and_search(staff_client, pending):
    url = reverse(CHANGELIST)
    assert "@tangtang" in staff_client.get(url, {"status__exact": "pending"}).content.decode()
    assert "@tangtang" not in staff_client.get(url, {"status__exact": "approved"}).content.decode()
    assert "@tangtang" in staff_client.get(url, {"entry_point__exact": "showcase"}).content.decode()
    assert "@tangtang" in staff_client.get(url, {"q": "糖糖"}).content.decode()
    assert "@tangtang" not in staff_client.get(url, {"is_advertiser__exact": "1"}).content.decode()


def test_change_page_renders_the_snapshot_readably(staff_client, pending):
    html = staff_client.get(reverse("admin:creators_cartapplication_change", args=[pending.pk])).content.decode()
    assert "粉丝" in html and "公开原创视频" in html and "1000" in html and "icon-yes.svg" in html
    assert "approve_selected" in html and "reject_selected" in html


def test_approve_action_grants_three_rights_and_messages_after_commit(staff_client, pending,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(reverse(CHANGELIST), {"action": "approve_selected", "_selected_action": [pending.pk]})
        assert not InboxMessage.objects.filter(kind="cart_application.approved").exists()
    for callback in callbacks:
        callback()
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.reviewed_by == staff_client.staff_user
    rights = CartRight.objects.filter(user=pending.applicant)
    assert sorted(r.kind for r in rights) == ["live", "showcase", "video"]
    assert all(r.status == "active" for r in rights)
    message = InboxMessage.objects.get(recipient=pending.applicant, kind="cart_application.approved")
    assert message.sender.handle == "dianshangxiaozhushou"
    assert pending.history.filter(to_status="approved").exists()


def test_reject_without_reason_is_refused_with_a_message(staff_client, pending):
    response = staff_client.post(reverse(CHANGELIST), {
        "action": "reject_selected", "_selected_action": [pending.pk], "apply": "1", "reason": "  "})
    assert response.status_code == 200
    assert "驳回申请必须填写理由" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_reject_asks_for_a_reason_first(staff_client, pending):
    response = staff_client.post(reverse(CHANGELIST), {"action": "reject_selected", "_selected_action": [pending.pk]})
    assert response.status_code == 200 and 'name="reason"' in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_reject_with_reason_tells_the_applicant(staff_client, pending, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse(CHANGELIST), {
            "action": "reject_selected", "_selected_action": [pending.pk], "apply": "1", "reason": "粉丝数据异常"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "rejected" and pending.reject_reason == "粉丝数据异常"
    assert not CartRight.objects.filter(user=pending.applicant).exists()
    message = InboxMessage.objects.get(recipient=pending.applicant, kind="cart_application.rejected")
    assert "粉丝数据异常" in message.display_body


def test_reviewed_applications_cannot_be_reviewed_again(staff_client, pending):
    staff_client.post(reverse(CHANGELIST), {"action": "approve_selected", "_selected_action": [pending.pk]})
    staff_client.post(reverse(CHANGELIST), {
        "action": "reject_selected", "_selected_action": [pending.pk], "apply": "1", "reason": "x"})
    pending.refresh_from_db()
    assert pending.status == "approved"


def test_non_staff_cannot_reach_the_review(logged_in, pending):
    response = logged_in.get(reverse(CHANGELIST))
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert CartApplication.objects.get().status == "pending"
