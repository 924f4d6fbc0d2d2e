"""The home feed: public videos that play, the cart tag only where there are cart
products, seeding tags as plain links, attributed product links, paging, stats."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from creators.models import Follow
from showcase.models import VideoProduct
from showcase.stats.models import DailyStat
from showcase.stats.services import stats_flush
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import VideoFactory

from .conftest import PlayableVideoFactory, login, tag

pytestmark = pytest.mark.django_db


def slides(html: str) -> list[str]:
    return re.findall(r'<section class="slide".*?</section>', html, re.S)


def slide_of(html: str, video) -> str:
    return next(s for s in slides(html) if f'data-video="{video.pk}"' in s)


def test_feed_plays_real_files_of_public_videos_only(client, creator):
    playable = PlayableVideoFactory(owner=creator)
    private = PlayableVideoFactory(owner=creator, is_public=False)
    cover_only = VideoFactory(owner=creator)
    html = client.get("/").content.decode()
    slide = slide_of(html, playable)
    assert re.search(r'<video class="slide__video" src="/media/videos/[^"]+\.mp4"', slide)
    assert "muted" in slide and "playsinline" in slide
    assert f'data-video="{private.pk}"' not in html and f'data-video="{cover_only.pk}"' not in html


def test_cart_tag_shows_only_for_videos_with_cart_products(client, creator, tee, cup):
    with_cart = PlayableVideoFactory(owner=creator, title="有购物车")
    plain = PlayableVideoFactory(owner=creator, title="没有商品")
    seeded = PlayableVideoFactory(owner=creator, title="只有种草")
    tag(with_cart, [tee, cup])
    tag(seeded, [cup], kind=VideoProduct.Kind.SEEDING)
    html = client.get("/").content.decode()
    assert 'class="cart-tag"' in slide_of(html, with_cart)
    assert 'data-has-cart="1"' in slide_of(html, with_cart)
    assert "slide-card" in slide_of(html, with_cart)
    for video in (plain, seeded):
        assert 'class="cart-tag"' not in slide_of(html, video)
        assert "slide-card" not in slide_of(html, video)


def test_seeding_tag_links_the_product_page_without_a_cart_tag(client, creator, cup):
    video = PlayableVideoFactory(owner=creator)
    tag(video, [cup], kind=VideoProduct.Kind.SEEDING)
    slide = slide_of(client.get("/").content.decode(), video)
    link = re.search(r'<a class="seed-tag" href="([^"]+)"', slide).group(1).replace("&amp;", "&")
    assert urlsplit(link).path == f"/products/{cup.pk}/"
    assert parse_qs(urlsplit(link).query) == {"ch": ["video"], "c": [str(creator.pk)], "v": [str(video.pk)]}


def test_product_list_opens_each_seeding_page_with_channel_creator_and_video(client, creator, tee, cup):
    video = PlayableVideoFactory(owner=creator)
    tag(video, [tee, cup])
    slide = slide_of(client.get("/").content.decode(), video)
    products = re.search(r"<template data-products>(.*?)</template>", slide, re.S).group(1)
    links = [h.replace("&amp;", "&") for h in re.findall(r'class="prow" href="([^"]+)"', products)]
    assert [urlsplit(h).path for h in links] == [f"/products/{tee.pk}/", f"/products/{cup.pk}/"]
    assert all(parse_qs(urlsplit(h).query) == {"ch": ["video"], "c": [str(creator.pk)], "v": [str(video.pk)]}
               for h in links)
    assert "59.00" in products and "88.00" in products


def test_the_creator_links_to_the_profile_and_the_comment_button_shows_the_count(client, creator, video):
    from showcase.engage.services import comment_post

    fan = PlayableVideoFactory().owner
    comment_post(video_id=video.pk, author=fan, body="好看")
    slide = slide_of(client.get("/").content.decode(), video)
    assert f'href="/@{creator.handle}/"' in slide
    assert re.search(r"<span data-comment-count>1</span>", slide)
    assert f'href="/videos/{video.pk}/comments/"' in slide


def test_feed_pages_with_a_cursor_until_the_end(client, creator, settings):
    videos = PlayableVideoFactory.create_batch(12, owner=creator)
    seen, cursor, pages = [], None, 0
    first = client.get("/").content.decode()
    seen += [int(v) for v in re.findall(r'<section class="slide" data-video="(\d+)"', first)]
    cursor = re.search(r'data-next="([^"]*)"', first).group(1)
    while cursor:
        pages += 1
        html = client.get(reverse("engage_feed_more"), {"cursor": cursor}).content.decode()
        seen += [int(v) for v in re.findall(r'<section class="slide" data-video="(\d+)"', html)]
        cursor = re.search(r'data-next="([^"]*)"', html).group(1)
    assert sorted(seen) == sorted(v.pk for v in videos) and len(seen) == len(set(seen))
    assert pages == 2  # 5 + 5 + 2


def test_a_tampered_cursor_ends_the_feed_instead_of_failing(client, creator):
    PlayableVideoFactory(owner=creator)
    response = client.get(reverse("engage_feed_more"), {"cursor": "not-a-cursor!!"})
    assert response.status_code == 200 and not slides(response.content.decode())


def test_a_shared_video_comes_first(client, creator):
    old, *_ = PlayableVideoFactory.create_batch(3, owner=creator)
    html = client.get("/", {"v": old.pk}).content.decode()
    assert re.findall(r'<section class="slide" data-video="(\d+)"', html)[0] == str(old.pk)


def test_follow_button_reflects_the_viewer(client, creator, shopper, video):
    login(client, shopper)
    assert 'data-following="0"' in slide_of(client.get("/").content.decode(), video)
    Follow.objects.create(follower=shopper, followee=creator)
    assert 'data-following="1"' in slide_of(client.get("/").content.decode(), video)


def test_the_feed_costs_the_same_queries_for_one_or_many_products(client, creator):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    video = PlayableVideoFactory(owner=creator)
    tag(video, ProductFactory.create_batch(1))
    one = queries()
    for _ in range(4):
        tag(PlayableVideoFactory(owner=creator), ProductFactory.create_batch(7))
    assert queries() == one


def test_feed_api_gives_the_same_slides_as_json(api_client, creator, tee):
    video = PlayableVideoFactory(owner=creator)
    tag(video, [tee])
    body = api_client.get("/api/v1/feed").json()
    item = next(s for s in body["results"] if s["id"] == video.pk)
    assert item["has_cart"] is True and item["video_url"].endswith(".mp4")
    assert item["cart_products"][0]["url"] == f"/products/{tee.pk}/?ch=video&c={creator.pk}&v={video.pk}"
    assert item["creator"]["handle"] == creator.handle and body["next_cursor"] == ""


def test_a_slide_in_view_counts_a_video_view_and_its_product_impressions(api_client, creator, tee):
    video = PlayableVideoFactory(owner=creator)
    tag(video, [tee])
    assert api_client.post(f"/api/v1/videos/{video.pk}/seen").status_code == 204
    stats_flush()
    rows = {(r.channel, r.product_id): r for r in DailyStat.objects.filter(creator=creator)}
    assert rows[("video", None)].views == 1
    assert rows[("video", tee.pk)].impressions == 1


def test_seen_for_a_private_video_is_404(api_client, creator):
    video = PlayableVideoFactory(owner=creator, is_public=False)
    assert api_client.post(f"/api/v1/videos/{video.pk}/seen").status_code == 404
