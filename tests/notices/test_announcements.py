"""Announcements (消息公告): pinned ones at the top of the creator center, an announcement
center with unread state; opening one marks it read."""
import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from notices.models import Announcement, AnnouncementKind
from notices.selectors import announcement_unread_count, pinned_announcements_for
from tests.factories.creators import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _announce(title, *, pinned=False, kind=AnnouncementKind.NOTICE, hours_ago=1, **kwargs):
    return Announcement.objects.create(
        title=title, body=f"{title}的详细内容", kind=kind, pinned=pinned,
        published_at=None if hours_ago is None else timezone.now() - datetime.timedelta(hours=hours_ago), **kwargs)


@pytest.fixture
def reader(client):
    user = UserFactory()
    client.login(handle=user.handle, password=PASSWORD)
    return user


def test_url_names_are_stable():
    assert reverse("notices:announcements") == "/announcements/"
    assert reverse("notices:announcement", args=[3]) == "/announcements/3/"


def test_the_center_lists_published_announcements_pinned_first(client, reader):
    _announce("双十一招商活动", kind=AnnouncementKind.ACTIVITY, hours_ago=1)
    _announce("规则更新公告", pinned=True, hours_ago=48)
    _announce("草稿", hours_ago=None)
    _announce("明天发布", hours_ago=-24)
    response = client.get("/announcements/")
    assert [a.title for a in response.context["announcements"]] == ["规则更新公告", "双十一招商活动"]
    assert response.context["unread"] == 2


def test_opening_an_announcement_marks_it_read_once(client, reader):
    first, second = _announce("一"), _announce("二")
    assert announcement_unread_count(reader) == 2
    response = client.get(f"/announcements/{first.pk}/")
    assert response.status_code == 200 and 'data-was-unread="1"' in response.content.decode()
    assert 'data-was-unread="0"' in client.get(f"/announcements/{first.pk}/").content.decode()
    assert announcement_unread_count(reader) == 1
    listed = {a.pk: a.is_read for a in client.get("/announcements/").context["announcements"]}
    assert listed == {first.pk: True, second.pk: False}


def test_read_state_is_per_user(client, reader):
    item = _announce("活动通知")
    client.get(f"/announcements/{item.pk}/")
    other = UserFactory()
    assert announcement_unread_count(other) == 1
    assert announcement_unread_count(reader) == 0


def test_mark_all_read(client, reader):
    for i in range(3):
        _announce(f"公告{i}")
    response = client.post("/announcements/read-all/")
    assert response.status_code == 302
    assert announcement_unread_count(reader) == 0


def test_kind_tabs_filter_and_unknown_kind_is_400(client, reader):
    _announce("问卷：你最想学什么", kind=AnnouncementKind.SURVEY)
    _announce("系统维护通知")
    titles = [a.title for a in client.get("/announcements/", {"kind": "survey"}).context["announcements"]]
    assert titles == ["问卷：你最想学什么"]
    response = client.get("/announcements/", {"kind": "ads"})
    assert response.status_code == 400 and 'data-error-field="kind"' in response.content.decode()


def test_drafts_and_future_announcements_are_404(client, reader):
    draft, future = _announce("草稿", hours_ago=None), _announce("未来", hours_ago=-5)
    assert client.get(f"/announcements/{draft.pk}/").status_code == 404
    assert client.get(f"/announcements/{future.pk}/").status_code == 404


def test_the_center_needs_login(client):
    assert client.get("/announcements/").status_code == 302


def test_pinned_include_shows_pinned_ones_with_unread_count(reader):
    pinned = _announce("置顶：新规上线", pinned=True)
    _announce("普通公告")
    request = RequestFactory().get("/showcase/center/")
    request.user = reader
    html = render_to_string("notices/_pinned_announcements.html", {
        "pinned_announcements": pinned_announcements_for(reader),
        "announcement_unread": announcement_unread_count(reader),
    }, request=request)
    assert "置顶：新规上线" in html and "普通公告" not in html
    assert 'data-unread="2"' in html
    assert f'href="/announcements/{pinned.pk}/"' in html


def test_api_lists_with_read_state_and_marks_read(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    item = _announce("接口公告", pinned=True)
    data = api_client.get("/api/v1/announcements").json()
    assert data["unread"] == 1 and data["results"][0]["is_read"] is False
    assert api_client.post(f"/api/v1/announcements/{item.pk}/read").json() == {"unread": 0}
    assert api_client.get("/api/v1/announcements").json()["results"][0]["is_read"] is True
    draft = _announce("草稿", hours_ago=None)
    assert api_client.post(f"/api/v1/announcements/{draft.pk}/read").status_code == 404
