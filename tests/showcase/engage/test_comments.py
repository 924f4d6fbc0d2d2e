"""The comment area of a video: the product entry pinned at its top, reading for anyone,
posting and replying for logged-in users, the creator's pin first, hidden and deleted
comments gone for shoppers, and the "mentions a product" flag."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from core.errors import InvalidInput, NotFound
from showcase.engage import services
from showcase.engage.models import Comment, CommentModeration
from showcase.models import VideoProduct
from showcase.stats.models import DailyStat
from showcase.stats.services import stats_flush
from tests.factories.creators import UserFactory

from .conftest import PlayableVideoFactory, login, tag

pytestmark = pytest.mark.django_db


def post(video, author, body, parent=None):
    return services.comment_post(video_id=video.pk, author=author, body=body,
                                 parent_id=parent.pk if parent else None)


def area(client, video, **params) -> str:
    response = client.get(reverse("engage_comments", args=[video.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def comment_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="comment[^"]*" id="c\d+" data-comment="(\d+)"', html)]


def test_the_product_entry_is_pinned_at_the_top_and_links_the_seeding_page(client, creator, video, tee, cup, shopper):
    tag(video, [tee, cup])
    tag(video, [], kind=VideoProduct.Kind.SEEDING)
    post(video, shopper, "好看")
    html = area(client, video)
    entry = html.index('data-buy-entry')
    assert entry < html.index('class="comment-list"')
    links = [h.replace("&amp;", "&") for h in re.findall(r'class="prow" href="([^"]+)"', html)]
    assert [urlsplit(h).path for h in links] == [f"/products/{tee.pk}/", f"/products/{cup.pk}/"]
    assert parse_qs(urlsplit(links[0]).query) == {"ch": ["comment"], "c": [str(creator.pk)], "v": [str(video.pk)]}


def test_no_product_entry_without_cart_products(client, video, cup):
    tag(video, [cup], kind=VideoProduct.Kind.SEEDING)
    assert "data-buy-entry" not in area(client, video)


def test_opening_the_comment_area_counts_impressions_on_the_comment_channel(client, creator, video, tee):
    tag(video, [tee])
    area(client, video)
    stats_flush()
    row = DailyStat.objects.get(creator=creator, channel="comment", product=tee)
    assert row.impressions == 1


def test_anyone_reads_but_only_a_logged_in_user_posts(client, video, shopper):
    post(video, shopper, "第一条评论")
    html = area(client, video)
    assert "第一条评论" in html and f'href="/login/?next=/videos/{video.pk}/comments/"' in html
    response = client.post(reverse("engage_comments", args=[video.pk]), {"body": "匿名评论"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Comment.objects.filter(body="匿名评论").exists()


def test_posting_through_the_page(shopper_client, video, shopper):
    response = shopper_client.post(reverse("engage_comments", args=[video.pk]), {"body": "  小个子能穿吗  "})
    comment = Comment.objects.get(video=video)
    assert response.status_code == 302 and response["Location"].endswith(f"#c{comment.pk}")
    assert comment.author == shopper and comment.body == "小个子能穿吗"


def test_an_empty_comment_is_refused_next_to_the_field(shopper_client, video):
    response = shopper_client.post(reverse("engage_comments", args=[video.pk]), {"body": "   "})
    assert response.status_code == 400 and response.context["form"].errors["body"]
    assert not Comment.objects.exists()


def test_too_long_a_comment_is_refused_naming_body(video, shopper):
    with pytest.raises(InvalidInput) as err:
        post(video, shopper, "长" * 301)
    assert err.value.field == "body" and err.value.code == "too_long"


def test_a_double_tap_posts_once(video, shopper):
    first = post(video, shopper, "已下单")
    assert post(video, shopper, "已下单").pk == first.pk
    assert Comment.objects.count() == 1


def test_comments_on_private_videos_of_others_are_404(creator, shopper):
    private = PlayableVideoFactory(owner=creator, is_public=False)
    with pytest.raises(NotFound):
        post(private, shopper, "看不到")


def test_a_reply_to_a_reply_joins_the_thread_and_names_whom_it_answers(client, video, creator, shopper):
    root = post(video, shopper, "什么面料？")
    answer = post(video, creator, "纯棉的", parent=root)
    follow_up = post(video, UserFactory(), "谢谢", parent=answer)
    assert (answer.parent, answer.reply_to) == (root, None)
    assert (follow_up.parent, follow_up.reply_to) == (root, creator)
    html = area(client, video)
    assert comment_ids(html) == [root.pk, answer.pk, follow_up.pk]
    assert html.count("pill--author") == 1


def test_the_creators_pinned_comment_comes_first_and_a_new_pin_replaces_it(client, video, creator, shopper):
    old = post(video, shopper, "最早的一条")
    pinned = post(video, creator, "置顶：尺码看详情页")
    post(video, shopper, "最新的一条")
    services.comment_pin(owner=creator, comment_id=pinned.pk)
    assert comment_ids(area(client, video))[0] == pinned.pk
    services.comment_pin(owner=creator, comment_id=old.pk)
    pinned.refresh_from_db()
    assert not pinned.is_pinned
    assert comment_ids(area(client, video))[0] == old.pk
    assert Comment.objects.filter(video=video, is_pinned=True).count() == 1
    assert list(CommentModeration.objects.values_list("action", flat=True)) == ["pin", "unpin", "pin"]


def test_a_reply_cannot_be_pinned(video, creator, shopper):
    reply = post(video, creator, "谢谢", parent=post(video, shopper, "好看"))
    with pytest.raises(InvalidInput) as err:
        services.comment_pin(owner=creator, comment_id=reply.pk)
    assert err.value.code == "reply_not_pinnable"


def test_hidden_and_deleted_comments_are_not_shown_to_shoppers(client, video, creator, shopper):
    hidden = post(video, shopper, "广告引流加微信")
    deleted = post(video, shopper, "乱说的")
    kept = post(video, shopper, "真好看")
    reply_under_hidden = post(video, creator, "请勿引流", parent=hidden)
    services.comment_hide(owner=creator, comment_id=hidden.pk)
    services.comment_delete(actor=creator, comment_id=deleted.pk)
    html = area(client, video)
    assert comment_ids(html) == [kept.pk]
    assert reply_under_hidden.body not in html
    assert 'data-count="1"' in html
    services.comment_unhide(owner=creator, comment_id=hidden.pk)
    assert hidden.pk in comment_ids(area(client, video))


def test_hiding_a_pinned_comment_unpins_it(video, creator, shopper):
    comment = post(video, shopper, "好看")
    services.comment_pin(owner=creator, comment_id=comment.pk)
    services.comment_hide(owner=creator, comment_id=comment.pk)
    comment.refresh_from_db()
    assert comment.status == "hidden" and not comment.is_pinned


def test_a_deleted_comment_stays_deleted(video, creator, shopper):
    comment = post(video, shopper, "好看")
    services.comment_delete(actor=creator, comment_id=comment.pk)
    with pytest.raises(NotFound):
        services.comment_unhide(owner=creator, comment_id=comment.pk)


def test_authors_delete_their_own_comments_and_nobody_elses(client, video, shopper):
    mine = post(video, shopper, "我的评论")
    theirs = post(video, UserFactory(), "别人的评论")
    login(client, shopper)
    assert client.post(reverse("engage_comment_delete", args=[video.pk, theirs.pk])).status_code == 404
    assert client.post(reverse("engage_comment_delete", args=[video.pk, mine.pk])).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == ("deleted", "visible")


def test_a_creator_cannot_moderate_comments_on_another_creators_video(video, other_creator, shopper):
    comment = post(video, shopper, "好看")
    for action in (services.comment_pin, services.comment_hide, services.comment_unpin, services.comment_unhide):
        with pytest.raises(NotFound):
            action(owner=other_creator, comment_id=comment.pk)
    with pytest.raises(NotFound):
        services.comment_delete(actor=other_creator, comment_id=comment.pk)
    comment.refresh_from_db()
    assert comment.status == "visible" and not comment.is_pinned


@pytest.mark.parametrize("text, flagged", [
    ("这件T恤会起球吗", True),           # names the product
    ("保温杯多少钱", True),
    ("链接发一下 https://item.jd.com/100012043978.html", True),  # an outside product link
    ("看这个 /products/5/", True),        # a seeding page link
    ("￥AbCd1234567￥ 复制打开淘宝", True),  # a 淘口令
    ("夏季到了好热", False),              # a generic title word only
    ("主播好漂亮", False),
])
def test_mentions_product_is_set_from_the_text(video, shopper, tee, cup, text, flagged):
    tag(video, [tee])
    tag(video, [cup], kind=VideoProduct.Kind.SEEDING)
    assert post(video, shopper, text).mentions_product is flagged


def test_comment_api_reads_for_anyone_and_posts_for_users(api_client, shopper_api, video, creator, shopper):
    created = shopper_api.post(f"/api/v1/videos/{video.pk}/comments", {"body": "接口评论"}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["author"]["handle"] == shopper.handle and body["is_pinned"] is False
    api_client.force_authenticate(None)
    listing = api_client.get(f"/api/v1/videos/{video.pk}/comments").json()
    assert [c["body"] for c in listing["results"]] == ["接口评论"]
    assert api_client.post(f"/api/v1/videos/{video.pk}/comments", {"body": "x"}).status_code in (401, 403)


def test_comment_api_ignores_server_set_fields(shopper_api, video):
    response = shopper_api.post(f"/api/v1/videos/{video.pk}/comments",
                                {"body": "想置顶", "is_pinned": True, "status": "hidden", "mentions_product": True},
                                format="json")
    comment = Comment.objects.get(pk=response.json()["id"])
    assert (comment.is_pinned, comment.status, comment.mentions_product) == (False, "visible", False)


def test_comment_api_errors_name_the_field(shopper_api, video):
    response = shopper_api.post(f"/api/v1/videos/{video.pk}/comments", {"body": "回复", "parent": 999999},
                                format="json")
    assert response.status_code == 404 and response.json()["error"]["field"] == "parent"
    response = shopper_api.post(f"/api/v1/videos/{video.pk}/comments", {"body": "长" * 400}, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == "body"


def test_deleting_through_the_api_is_for_the_author_or_the_videos_creator(api_client, video, creator, shopper):
    comment = post(video, shopper, "好看")
    api_client.force_authenticate(UserFactory())
    assert api_client.delete(f"/api/v1/comments/{comment.pk}").status_code == 404
    api_client.force_authenticate(creator)
    assert api_client.delete(f"/api/v1/comments/{comment.pk}").status_code == 204
