"""E后台: a creator with a cart right manages the comments on their own videos (reply, pin,
hide, delete; filter by video and by "mentions a product"; paginated); others are refused
with the reason, and other creators' comments are 404."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from creators.services.rights import cart_right_revoke, cart_right_suspend
from showcase.engage import services
from showcase.engage.models import Comment
from tests.factories.creators import UserFactory

from .conftest import PlayableVideoFactory, login, tag

pytestmark = pytest.mark.django_db


def post(video, author, body, parent=None):
    return services.comment_post(video_id=video.pk, author=author, body=body,
                                 parent_id=parent.pk if parent else None)


def rows(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr class="[^"]*" data-comment="(\d+)"', html)]


def act(client, comment, action, **data):
    return client.post(reverse("engage_backoffice_action", args=[comment.pk, action]), data)


def test_a_user_without_cart_rights_is_refused_with_the_reason(client, shopper):
    login(client, shopper)
    response = client.get(reverse("engage_backoffice"))
    assert response.status_code == 403
    assert 'id="backoffice-refused"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("engage_backoffice"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_any_one_usable_right_opens_the_back_office(client, creator):
    cart_right_revoke(user=creator, kind="showcase", reason="违规")
    cart_right_revoke(user=creator, kind="live", reason="违规")
    login(client, creator)
    assert client.get(reverse("engage_backoffice")).status_code == 200


def test_a_creator_whose_rights_are_all_suspended_or_revoked_sees_why(client, creator):
    until = timezone.now() + datetime.timedelta(days=7)
    cart_right_suspend(user=creator, kind="showcase", until=until, reason="虚假宣传")
    cart_right_revoke(user=creator, kind="video", reason="售假")
    cart_right_revoke(user=creator, kind="live", reason="售假")
    login(client, creator)
    response = client.get(reverse("engage_backoffice"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "虚假宣传" in html and "售假" in html


def test_the_desk_lists_comments_on_own_videos_only(creator_client, creator, other_creator, video, shopper):
    mine = post(video, shopper, "我的视频下的评论")
    theirs = post(PlayableVideoFactory(owner=other_creator), shopper, "别人视频下的评论")
    html = creator_client.get(reverse("engage_backoffice")).content.decode()
    assert rows(html) == [mine.pk] and theirs.body not in html


def test_filter_by_video_and_by_mentions_a_product(creator_client, creator, video, shopper, tee):
    other_video = PlayableVideoFactory(owner=creator, title="第二条")
    tag(video, [tee])
    asks = post(video, shopper, "T恤起球吗")
    chat = post(video, shopper, "主播好美")
    elsewhere = post(other_video, shopper, "沙发")
    url = reverse("engage_backoffice")
    assert rows(creator_client.get(url, {"video": video.pk}).content.decode()) == [chat.pk, asks.pk]
    assert rows(creator_client.get(url, {"mentions": "on"}).content.decode()) == [asks.pk]
    assert rows(creator_client.get(url, {"video": other_video.pk}).content.decode()) == [elsewhere.pk]


def test_the_desk_is_paginated(creator_client, video, shopper):
    for n in range(25):
        post(video, shopper, f"评论{n}")
    first = creator_client.get(reverse("engage_backoffice")).content.decode()
    second = creator_client.get(reverse("engage_backoffice"), {"page": 2}).content.decode()
    assert len(rows(first)) == 20 and len(rows(second)) == 5
    assert not set(rows(first)) & set(rows(second))
    assert "data-next-page" in first


def test_reply_pin_hide_and_delete_from_the_desk(creator_client, creator, video, shopper):
    comment = post(video, shopper, "尺码偏大吗")
    assert act(creator_client, comment, "reply", body="正常尺码哦").status_code == 302
    reply = Comment.objects.get(parent=comment)
    assert reply.author == creator and reply.body == "正常尺码哦"
    act(creator_client, comment, "pin")
    comment.refresh_from_db()
    assert comment.is_pinned
    act(creator_client, comment, "hide")
    comment.refresh_from_db()
    assert comment.status == "hidden" and not comment.is_pinned
    act(creator_client, comment, "unhide")
    act(creator_client, comment, "delete")
    comment.refresh_from_db()
    assert comment.status == "deleted"
    assert comment.pk not in rows(creator_client.get(reverse("engage_backoffice")).content.decode())


def test_a_refused_action_shows_the_reason(creator_client, creator, video, shopper):
    reply = post(video, creator, "谢谢", parent=post(video, shopper, "好看"))
    response = act(creator_client, reply, "pin", next=reverse("engage_backoffice"))
    assert response.status_code == 302
    page = creator_client.get(response["Location"]).content.decode()
    assert 'flash__item--error' in page


def test_another_creators_comment_is_404_for_every_action(client, other_creator, video, shopper):
    comment = post(video, shopper, "好看")
    login(client, other_creator)
    for action in ("reply", "pin", "unpin", "hide", "unhide", "delete"):
        assert act(client, comment, action, body="x").status_code == 404
    comment.refresh_from_db()
    assert comment.status == "visible" and not Comment.objects.filter(parent=comment).exists()


def test_next_may_not_leave_the_site(creator_client, video, shopper):
    comment = post(video, shopper, "好看")
    response = act(creator_client, comment, "hide", next="https://evil.example/")
    assert response["Location"] == reverse("engage_backoffice")


def test_owner_comment_api_filters_and_moderates(creator_api, api_client, creator, other_creator, video, shopper, tee):
    tag(video, [tee])
    asks = post(video, shopper, "T恤有几个颜色")
    post(video, shopper, "好看")
    post(PlayableVideoFactory(owner=other_creator), shopper, "别处")
    listed = creator_api.get("/api/v1/e/comments", {"mentions_product": "true"}).json()["results"]
    assert [c["id"] for c in listed] == [asks.pk]
    pinned = creator_api.post(f"/api/v1/e/comments/{asks.pk}/pin").json()
    assert pinned["is_pinned"] is True
    reply = creator_api.post(f"/api/v1/e/comments/{asks.pk}/reply", {"body": "三个颜色"}, format="json")
    assert reply.status_code == 201 and reply.json()["parent"] == asks.pk
    api_client.force_authenticate(other_creator)
    assert api_client.post(f"/api/v1/e/comments/{asks.pk}/hide").status_code == 404
    api_client.force_authenticate(UserFactory())
    response = api_client.get("/api/v1/e/comments")
    assert response.status_code == 403 and response.json()["error"]["code"] == "no_right"


def test_the_creator_center_links_the_back_office(creator_client):
    html = creator_client.get(reverse("showcase:center")).content.decode()
    assert re.search(r'href="/e/" data-tile="backoffice"', html)
