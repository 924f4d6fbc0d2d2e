"""Public profile and showcase tab, the Me page, and the seeded demo world."""
import io

import pytest
from django.db import transaction
from django.urls import reverse

from creators import demo as creators_demo
from creators.models import CartApplication, Follow, User, Video
from creators.services import cart_application_approve, cart_application_submit
from notices import demo as notices_demo
from tests.factories.creators import UserFactory, VideoFactory, make_eligible

pytestmark = pytest.mark.django_db


def test_profile_shows_header_counts_and_videos(client):
    creator = UserFactory(nickname="琳琳穿搭", bio="小个子穿搭")
    VideoFactory(owner=creator, title="显高穿搭")
    html = client.get(f"/@{creator.handle}/").content.decode()
    for text in ("琳琳穿搭", creator.handle, "小个子穿搭", "显高穿搭", 'data-stat="fans"'):
        assert text in html


def test_unknown_profile_is_404(client):
    assert client.get("/@nobody_at_all/").status_code == 404
    assert client.get("/@nobody_at_all/showcase/").status_code == 404


def test_showcase_tab_has_an_empty_state_and_sell_too_for_visitors(client):
    creator = make_eligible(UserFactory())
    cart_application_approve(application=cart_application_submit(applicant=creator, entry_point="showcase"),
                             reviewer=None)
    html = client.get(reverse("showcase:showcase", args=[creator.handle])).content.decode()
    assert "橱窗里还没有商品" in html and 'id="sell-too"' in html
    profile = client.get(reverse("creators:profile", args=[creator.handle])).content.decode()
    assert reverse("showcase:showcase", args=[creator.handle]) in profile  # the tab appears once the right is open
    client.force_login(creator)
    own = client.get(reverse("showcase:showcase", args=[creator.handle])).content.decode()
    assert 'id="sell-too"' not in own


def test_showcase_page_in_english(client):
    creator = UserFactory()
    html = client.get(reverse("showcase:showcase", args=[creator.handle]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "I want to sell too" in html and "No products in this showcase yet" in html


def test_me_page_links_every_step(logged_in):
    html = logged_in.get(reverse("creators:me")).content.decode()
    for name in ("creators:profile_edit", "creators:phone", "creators:realname", "creators:videos",
                 "creators:eligibility", "creators:apply"):
        assert reverse(name) in html


def test_me_page_needs_login(client):
    response = client.get(reverse("creators:me"))
    assert response.status_code == 302 and reverse("creators:login") in response.url


def test_public_profile_api(api_client):
    creator = UserFactory(nickname="大白")
    VideoFactory(owner=creator, is_public=False)
    VideoFactory(owner=creator)
    body = api_client.get(f"/api/v1/creators/{creator.handle}").json()
    assert body["nickname"] == "大白" and "phone" not in body
    assert body.keys() == {"handle", "nickname", "avatar", "bio", "fans_count", "following_count", "is_official"}
    assert api_client.get(f"/api/v1/creators/{creator.handle}/videos").json()["count"] == 1


def seed_all(out):
    """What ``seed_demo`` does for these two apps, in its order (notices before creators)."""
    with transaction.atomic():
        notices_demo.seed(out)
    with transaction.atomic():
        creators_demo.seed(out)


def test_seed_demo_builds_every_stage_and_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    first = io.StringIO()
    seed_all(first)
    counts = (User.objects.count(), Follow.objects.count(), Video.objects.count(), CartApplication.objects.count())
    second = io.StringIO()
    seed_all(second)
    assert counts == (User.objects.count(), Follow.objects.count(), Video.objects.count(),
                      CartApplication.objects.count())
    assert "operator /" in first.getvalue() and "operator /" not in second.getvalue()
    assert "password" in first.getvalue() and "password" not in second.getvalue()
    operator = User.objects.get(handle="operator")
    assert operator.is_staff and operator.is_superuser and operator.has_usable_password()
    for user in User.objects.filter(handle__in=["linlin_chuanda", "xiaomei_daily", "dabai_shuma"]):
        assert user.fans_count == Follow.objects.filter(followee=user).count()
    statuses = dict(CartApplication.objects.filter(status__in=["pending", "approved"]).values_list(
        "applicant__handle", "status"))
    assert statuses["linlin_chuanda"] == "approved" and statuses["dabai_shuma"] == "pending"
    assert User.objects.get(handle="yuebao_muying").is_advertiser
    assert User.objects.filter(handle="dianshangxiaozhushou", is_official=True).exists()
