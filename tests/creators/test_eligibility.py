"""Eligibility: one selector, four criteria, each with its boundary."""
import pytest
from django.urls import reverse

from creators.selectors import eligibility_for
from tests.factories.creators import (
    VideoFactory,
    add_fans,
    bind_phone,
    make_eligible,
    verify_real_name,
)

pytestmark = pytest.mark.django_db


def criterion(user, key):
    return next(c for c in eligibility_for(user).criteria if c.key == key)


def test_fans_criterion_fails_at_999_and_passes_at_1000(user):
    add_fans(user, 999)
    fans = criterion(user, "fans")
    assert (fans.value, fans.threshold, fans.passed) == (999, 1000, False)
    assert "1" in fans.next_step and fans.next_url == reverse("creators:profile", args=[user.handle])
    add_fans(user, 1)
    assert criterion(user, "fans").passed is True


def test_videos_criterion_fails_at_9_and_passes_at_10_public_original_videos(user):
    VideoFactory.create_batch(9, owner=user)
    videos = criterion(user, "public_original_videos")
    assert (videos.value, videos.threshold, videos.passed) == (9, 10, False)
    assert videos.next_url == reverse("creators:video_new")
    VideoFactory(owner=user)
    assert criterion(user, "public_original_videos").passed is True


def test_private_and_non_original_videos_do_not_count(user):
    VideoFactory.create_batch(9, owner=user)
    VideoFactory(owner=user, is_public=False)
    VideoFactory(owner=user, is_original=False)
    VideoFactory(owner=user, is_public=False, is_original=False)
    assert criterion(user, "public_original_videos").value == 9
    assert criterion(user, "public_original_videos").passed is False


def test_other_creators_videos_do_not_count(user):
    VideoFactory.create_batch(10)
    assert criterion(user, "public_original_videos").value == 0


def test_phone_criterion_passes_once_a_phone_is_bound(user):
    assert criterion(user, "phone").passed is False
    assert criterion(user, "phone").next_url == reverse("creators:phone")
    bind_phone(user)
    assert criterion(user, "phone").passed is True


def test_real_name_criterion_passes_once_verified(user):
    assert criterion(user, "real_name").passed is False
    verify_real_name(user)
    assert criterion(user, "real_name").passed is True


def test_eligible_only_when_every_criterion_passes(user):
    make_eligible(user)
    assert eligibility_for(user).passed is True
    user.videos.first().delete()
    result = eligibility_for(user)
    assert result.passed is False
    assert [c.key for c in result.failing] == ["public_original_videos"]


def test_thresholds_come_from_settings(user, settings):
    settings.ELIGIBILITY_MIN_FANS = 3
    settings.ELIGIBILITY_MIN_PUBLIC_ORIGINAL_VIDEOS = 2
    add_fans(user, 3)
    VideoFactory.create_batch(2, owner=user)
    assert criterion(user, "fans").passed and criterion(user, "public_original_videos").passed
    assert criterion(user, "fans").threshold == 3


def test_eligibility_api_lists_each_criterion_with_what_to_do_next(api, user):
    add_fans(user, 1000)
    body = api.get("/api/v1/creators/me/eligibility").json()
    assert body["eligible"] is False
    by_key = {c["key"]: c for c in body["criteria"]}
    assert set(by_key) == {"fans", "public_original_videos", "phone", "real_name"}
    assert by_key["fans"] == {**by_key["fans"], "value": 1000, "threshold": 1000, "passed": True, "next_step": ""}
    assert by_key["phone"]["passed"] is False and by_key["phone"]["next_url"] == reverse("creators:phone")
    assert by_key["phone"]["next_step"]


def test_eligibility_api_needs_login(api_client):
    assert api_client.get("/api/v1/creators/me/eligibility").status_code in (401, 403)


def test_checklist_page_shows_progress_and_next_step_links(logged_in, user):
    add_fans(user, 999)
    html = logged_in.get(reverse("creators:eligibility")).content.decode()
    assert "999 / 1,000" in html or "999 / 1000" in html
    assert reverse("creators:phone") in html and reverse("creators:realname") in html
    assert reverse("creators:video_new") in html


def test_checklist_page_speaks_english(logged_in):
    html = logged_in.get(reverse("creators:eligibility"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Public original videos" in html and "Bind phone" in html


def test_checklist_page_speaks_chinese_by_default(logged_in):
    html = logged_in.get(reverse("creators:eligibility")).content.decode()
    assert "公开原创视频" in html and "绑定手机号" in html
