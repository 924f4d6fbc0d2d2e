"""The pinned notice's button: "立即参加" (Take part) only for an activity with a link."""
import pytest
from django.utils import timezone

from notices.models import Announcement, AnnouncementKind
from tests.factories.creators import UserFactory

pytestmark = pytest.mark.django_db


def _page(client, **fields) -> str:
    notice = Announcement.objects.create(title="公告", body="正文", pinned=True, published_at=timezone.now(),
                                         **fields)
    client.cookies["django_language"] = "zh-hans"
    client.force_login(UserFactory())
    return client.get(f"/announcements/{notice.pk}/").content.decode()


def test_a_pinned_notice_with_a_link_shows_view_details_not_take_part(client):
    html = _page(client, kind=AnnouncementKind.NOTICE, link="/showcase/center/")
    assert "立即参加" not in html
    assert "查看详情" in html and 'href="/showcase/center/"' in html


def test_an_activity_with_a_link_shows_take_part(client):
    html = _page(client, kind=AnnouncementKind.ACTIVITY, link="/showcase/center/")
    assert "立即参加" in html


def test_an_activity_without_a_link_shows_no_button(client):
    html = _page(client, kind=AnnouncementKind.ACTIVITY, link="")
    assert "立即参加" not in html
