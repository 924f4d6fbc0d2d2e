"""In a real browser: a shopper finds a video's products from the feed — the cart tag, the
card that slides in after the video has played through once, and the product entry at the
top of the comment area — and reaches the seeding page with the channel recorded."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from showcase.models import VideoProduct
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import PASSWORD, UserFactory
from tests.showcase.engage.conftest import PlayableVideoFactory, creator_with_rights

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(db):
    creator = creator_with_rights(handle="linlin", nickname="琳琳穿搭")
    video = PlayableVideoFactory(owner=creator, title="小个子显高穿搭公式")
    tee = ProductFactory(title="夏季新款纯棉短袖T恤", price_fen=5900)
    cup = ProductFactory(title="不锈钢保温杯大容量", price_fen=8800)
    VideoProduct.objects.create(video=video, product=tee, kind=VideoProduct.Kind.CART, position=0)
    VideoProduct.objects.create(video=video, product=cup, kind=VideoProduct.Kind.CART, position=1)
    return {"creator": creator, "video": video, "tee": tee, "cup": cup}


def via(url: str) -> tuple[str, dict]:
    parts = urlsplit(url)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_a_shopper_taps_the_cart_tag_and_reaches_the_seeding_page(live_server, page_factory, world):
    video, creator, cup = world["video"], world["creator"], world["cup"]
    page = page_factory()
    page.goto(f"{live_server.url}/")
    slide = page.locator(f'.slide[data-video="{video.pk}"]')
    tag = slide.locator(".cart-tag")
    assert "夏季新款纯棉短袖T恤" in tag.inner_text()
    # The cart tag sits at the lower left of the video.
    box, frame = tag.bounding_box(), slide.locator(".slide__frame").bounding_box()
    assert box["x"] - frame["x"] < frame["width"] / 4 and box["y"] > frame["y"] + frame["height"] / 2
    tag.click()
    sheet = page.locator("#sheet")
    sheet.locator(".prow").first.wait_for()
    assert sheet.locator(".prow").count() == 2
    sheet.locator(f'.prow[data-product="{cup.pk}"]').click()
    page.wait_for_url(re.compile(rf"/products/{cup.pk}/"))
    assert via(page.url) == (f"/products/{cup.pk}/", {"ch": "video", "c": str(creator.pk), "v": str(video.pk)})
    assert "不锈钢保温杯大容量" in page.content()


def test_the_product_card_slides_in_after_the_video_has_played_through_once(live_server, page_factory, world):
    video, tee = world["video"], world["tee"]
    page = page_factory(lang="en")
    page.goto(f"{live_server.url}/")
    slide = page.locator(f'.slide[data-video="{video.pk}"]')
    card = slide.locator(".slide-card")
    assert "is-in" not in (card.get_attribute("class") or "")
    page.wait_for_function(
        f"!document.querySelector('.slide[data-video=\"{video.pk}\"] video').paused", timeout=10_000)
    slide.locator(".slide-card.is-in").wait_for(timeout=15_000)
    assert slide.get_attribute("data-played-once") == "1"
    player = f"document.querySelector('.slide[data-video=\"{video.pk}\"] video')"
    assert page.evaluate(f"{player}.muted") is True
    # A tap turns the sound on, the next one pauses.
    slide.locator("video").click()
    assert page.evaluate(f"{player}.muted") is False
    slide.locator("video").click()
    assert page.evaluate(f"{player}.paused") is True and "is-paused" in slide.get_attribute("class")
    card.click()
    page.locator("#sheet .prow").first.wait_for()
    page.locator(f'#sheet .prow[data-product="{tee.pk}"]').click()
    page.wait_for_url(re.compile(rf"/products/{tee.pk}/"))
    assert via(page.url)[1]["ch"] == "video"


def test_the_comment_entry_leads_to_the_seeding_page(live_server, page_factory, world):
    video, creator, tee = world["video"], world["creator"], world["tee"]
    UserFactory(handle="xiaoyu", nickname="小雨")
    page = page_factory()
    page.goto(f"{live_server.url}/login/?next=/")
    page.fill("#id_username", "xiaoyu")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    slide = page.locator(f'.slide[data-video="{video.pk}"]')
    slide.locator("[data-comments]").click()
    sheet = page.locator("#sheet")
    sheet.locator("[data-comment-area]").wait_for()
    # A comment posted in the sheet appears there and on the slide's count.
    sheet.locator("textarea[name=body]").fill("小个子能穿吗？")
    sheet.locator("#post-comment").click()
    sheet.locator(".comment__text", has_text="小个子能穿吗？").wait_for()
    assert slide.locator("[data-comment-count]").inner_text() == "1"
    # The product entry is at the top of the comment area.
    entry = sheet.locator("[data-buy-entry]")
    assert entry.bounding_box()["y"] < sheet.locator(".comment-list").bounding_box()["y"]
    entry.locator(f'.prow[data-product="{tee.pk}"]').click()
    page.wait_for_url(re.compile(rf"/products/{tee.pk}/"))
    assert via(page.url) == (f"/products/{tee.pk}/", {"ch": "comment", "c": str(creator.pk), "v": str(video.pk)})
