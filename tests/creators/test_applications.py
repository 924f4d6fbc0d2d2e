"""Applications (商品分享功能申请): three entry points, server-side re-check, one open at a time."""
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import Conflict, Forbidden
from creators.models import CartApplication, CartRight
from creators.services import (
    NotEligible,
    cart_application_approve,
    cart_application_reject,
    cart_application_submit,
)
from notices.models import InboxMessage
from notices.services import official_account
from tests.factories.creators import UserFactory, VideoFactory, add_fans, make_eligible

pytestmark = pytest.mark.django_db
Entry = CartApplication.EntryPoint


@pytest.fixture
def eligible(user):
    return make_eligible(user)


def test_creator_center_entry_on_the_me_page_leads_to_the_application(logged_in):
    html = logged_in.get(reverse("creators:me")).content.decode()
    assert f'{reverse("creators:apply")}?entry=creator_center' in html
    assert "商品分享功能" in html


def test_commerce_assistant_conversation_shows_the_entry_at_its_bottom(logged_in):
    assistant = official_account("commerce_assistant")
    assert assistant.handle == "dianshangxiaozhushou" and assistant.is_official
    html = logged_in.get(reverse("notices:conversation", args=[assistant.handle])).content.decode()
    assert f'{reverse("creators:apply")}?entry=commerce_assistant' in html
    assert html.index("convo-actions") > html.index('class="chat"')


def test_showcase_page_offers_i_want_to_sell_too_at_the_top_right(client):
    creator = UserFactory()
    html = client.get(reverse("showcase:showcase", args=[creator.handle])).content.decode()
    link = f'{reverse("creators:apply")}?entry=showcase'
    assert link in html and "我也要带货" in html
    assert html.index("我也要带货") < html.index('<main')


def test_logged_out_visitor_goes_through_login_to_the_application(client, user):
    from tests.factories.creators import PASSWORD

    target = f'{reverse("creators:apply")}?entry=showcase'
    response = client.get(target)
    assert response.status_code == 302 and response.url.startswith(reverse("creators:login"))
    response = client.post(response.url, {"username": user.handle, "password": PASSWORD})
    assert response.url == target
    assert 'value="showcase"' in client.get(target).content.decode()


@pytest.mark.parametrize("entry", [Entry.CREATOR_CENTER, Entry.COMMERCE_ASSISTANT, Entry.SHOWCASE])
def test_each_entry_point_is_recorded(logged_in, eligible, entry):
    logged_in.get(f'{reverse("creators:apply")}?entry={entry}')
    response = logged_in.post(reverse("creators:apply"), {"entry_point": entry})
    assert response.status_code == 302
    application = CartApplication.objects.get(applicant=eligible)
    assert application.entry_point == entry and application.status == "pending"


def test_entry_point_is_remembered_across_the_detour_to_meet_requirements(logged_in, user):
    logged_in.get(f'{reverse("creators:apply")}?entry=commerce_assistant')
    make_eligible(user)
    logged_in.post(reverse("creators:apply"), {"entry_point": logged_in.get(reverse("creators:apply")).context[
        "entry"]})
    assert CartApplication.objects.get(applicant=user).entry_point == Entry.COMMERCE_ASSISTANT


def test_submission_stores_a_snapshot_of_eligibility(eligible):
    application = cart_application_submit(applicant=eligible, entry_point=Entry.CREATOR_CENTER)
    snapshot = {c["key"]: c for c in application.eligibility_snapshot["criteria"]}
    assert snapshot["fans"] == {"key": "fans", "value": 1000, "threshold": 1000, "passed": True}
    assert snapshot["public_original_videos"]["value"] == 10
    assert application.eligibility_snapshot["eligible"] is True


def test_not_eligible_is_refused_listing_the_failing_criteria(user):
    add_fans(user, 999)
    VideoFactory.create_batch(10, owner=user)
    with pytest.raises(NotEligible) as err:
        cart_application_submit(applicant=user, entry_point=Entry.CREATOR_CENTER)
    failing = [c["key"] for c in err.value.as_dict()["error"]["criteria"]]
    assert failing == ["fans", "phone", "real_name"]
    assert not CartApplication.objects.exists()


def test_eligibility_is_rechecked_on_the_server_at_submission(logged_in, eligible):
    page = logged_in.get(reverse("creators:apply"))
    assert page.context["eligibility"].passed
    eligible.videos.first().delete()  # changed after the page was shown
    response = logged_in.post(reverse("creators:apply"), {"entry_point": "creator_center"}, follow=True)
    assert not CartApplication.objects.exists()
    assert "公开原创视频 9/10" in response.content.decode()


def test_api_not_eligible_answer(api):
    response = api.post("/api/v1/creators/me/cart-applications", {"entry_point": "showcase"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "not_eligible" and error["field"] == "eligibility"
    assert {c["key"] for c in error["criteria"]} == {"fans", "public_original_videos", "phone", "real_name"}


def test_api_bad_entry_point_names_the_field(api, eligible):
    response = api.post("/api/v1/creators/me/cart-applications", {"entry_point": "elsewhere"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == "entry_point"


def test_pending_application_blocks_another(eligible, api):
    cart_application_submit(applicant=eligible, entry_point=Entry.SHOWCASE)
    with pytest.raises(Conflict) as err:
        cart_application_submit(applicant=eligible, entry_point=Entry.CREATOR_CENTER)
    assert err.value.code == "already_pending"
    response = api.post("/api/v1/creators/me/cart-applications", {"entry_point": "creator_center"}, format="json")
    assert response.status_code == 409


def test_approved_application_blocks_another(eligible):
    application = cart_application_submit(applicant=eligible, entry_point=Entry.SHOWCASE)
    cart_application_approve(application=application, reviewer=None)
    with pytest.raises(Conflict) as err:
        cart_application_submit(applicant=eligible, entry_point=Entry.SHOWCASE)
    assert err.value.code == "already_approved"


def test_rejected_applicant_may_apply_again(eligible):
    first = cart_application_submit(applicant=eligible, entry_point=Entry.SHOWCASE)
    cart_application_reject(application=first, reviewer=None, reason="视频存在搬运内容")
    second = cart_application_submit(applicant=eligible, entry_point=Entry.CREATOR_CENTER)
    assert second.pk != first.pk and second.status == "pending"


def test_database_allows_only_one_open_application_per_applicant(eligible):
    cart_application_submit(applicant=eligible, entry_point=Entry.SHOWCASE)
    with pytest.raises(IntegrityError), transaction.atomic():
        CartApplication.objects.create(applicant=eligible, entry_point=Entry.SHOWCASE, submitted_at=timezone.now(),
                                       status="approved")


def test_advertisers_follow_the_same_rule():
    advertiser = UserFactory(is_advertiser=True)
    with pytest.raises(NotEligible):
        cart_application_submit(applicant=advertiser, entry_point=Entry.COMMERCE_ASSISTANT)
    make_eligible(advertiser)
    application = cart_application_submit(applicant=advertiser, entry_point=Entry.COMMERCE_ASSISTANT)
    assert application.is_advertiser is True


def test_official_accounts_cannot_apply():
    with pytest.raises(Forbidden):
        cart_application_submit(applicant=official_account("commerce_assistant"), entry_point=Entry.CREATOR_CENTER)


def test_auto_approval_grants_the_rights_when_every_criterion_passes(eligible, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.CART_APPLICATION_AUTO_APPROVE = True
    with django_capture_on_commit_callbacks(execute=True):
        application = cart_application_submit(applicant=eligible, entry_point=Entry.CREATOR_CENTER)
    assert application.status == "approved" and application.auto_approved
    assert set(CartRight.objects.filter(user=eligible, status="active").values_list("kind", flat=True)) == {
        "showcase", "video", "live"}
    assert InboxMessage.objects.filter(recipient=eligible, kind="cart_application.approved").exists()


def test_application_page_shows_pending_status(logged_in, eligible):
    cart_application_submit(applicant=eligible, entry_point=Entry.SHOWCASE)
    html = logged_in.get(reverse("creators:apply")).content.decode()
    assert "审核中" in html and 'id="submit-application"' not in html


def test_other_users_applications_are_404(api, user):
    other = make_eligible(UserFactory())
    application = cart_application_submit(applicant=other, entry_point=Entry.SHOWCASE)
    assert api.get(f"/api/v1/creators/me/cart-applications/{application.pk}").status_code == 404
    assert api.get("/api/v1/creators/me/cart-applications").json()["results"] == []
