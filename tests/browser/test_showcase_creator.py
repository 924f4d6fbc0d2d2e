"""In a real browser, a creator with the three rights: fills a showcase (from the pool, a pool
search and a pasted link; categories, 推荐, reordering by button and by drag), tags a video with
cart products and a seeding tag, and runs a live session switching the "now explaining" product
while a viewer's page follows without reloading."""
import io
import re

import pytest
from django.db import connections
from PIL import Image

from affiliates.sources.base import Source
from showcase.models import LiveProduct, LiveSession, ShowcaseItem, VideoProduct
from tests.affiliates.fakes import FakeClient, use_clients
from tests.factories.affiliates import ProductFactory, product_info
from tests.factories.creators import PASSWORD, VideoFactory
from tests.showcase.helpers import creator_with_rights

from .shots import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pages(transactional_db, live_server, request):
    connections.close_all()
    page_factory = request.getfixturevalue("page_factory")
    yield page_factory
    connections.close_all()


def _login(page, url, user, next_path):
    page.goto(f"{url}/login/?next={next_path}")
    page.fill("#id_username", user.handle)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}{next_path}")


def _order(creator):
    return list(ShowcaseItem.objects.filter(showcase__owner=creator).order_by("position", "id")
                .values_list("product__title", flat=True))


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), (250, 90, 120)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_creator_fills_a_showcase_tags_a_video_and_runs_a_live(pages, live_server, settings, monkeypatch):
    settings.LIVE_POLL_MS = 400
    url = live_server.url
    creator = creator_with_rights(nickname="琳琳穿搭")
    ProductFactory(title="法式碎花连衣裙", sales_volume=900)
    ProductFactory(title="高腰阔腿牛仔裤", sales_volume=800)
    ProductFactory(title="通勤小香风外套", sales_volume=700)
    video = VideoFactory(owner=creator, title="小个子显高穿搭")
    pasted = product_info(external_id="640000000123", title="天猫 真丝衬衫 垂感")
    use_clients(monkeypatch, FakeClient(Source.TAOBAO, infos={"640000000123": pasted}))
    connections.close_all()

    page = pages()
    _login(page, url, creator, "/showcase/center/")
    assert page.locator("[data-tile=manage]").count() == 1

    # From the pool: the product card's "add to showcase" button
    page.goto(f"{url}/pool/?sort=sales")
    shoot(page, "creator", "product-pool")
    card = page.locator("article.pcard", has_text="法式碎花连衣裙")
    card.locator(".pcard__add button").click()
    page.wait_for_selector(".flash__item")
    assert "法式碎花连衣裙" in page.locator(".flash").inner_text()

    # From a pool search started on the management page
    page.goto(f"{url}/showcase/manage/")
    page.fill(".manage-search input[name=q]", "牛仔裤")
    page.click(".manage-search button")
    page.locator("article.pcard", has_text="高腰阔腿牛仔裤").locator(".pcard__add button").click()
    page.wait_for_selector(".flash__item")

    # From a pasted link
    page.goto(f"{url}/showcase/manage/")
    page.fill("#id_text", "好物分享 https://fake.example/item/640000000123")
    page.click("#paste-add")
    page.wait_for_selector(".flash__item")
    assert page.locator("#item-count").inner_text().startswith("3 / ")
    assert _order(creator) == ["法式碎花连衣裙", "高腰阔腿牛仔裤", "天猫 真丝衬衫 垂感"]

    # A second paste of the same product is refused, next to the box
    page.fill("#id_text", "https://fake.example/item/640000000123")
    page.click("#paste-add")
    assert "已经在你的橱窗里" in page.locator("#paste-errors").inner_text()

    # A category, then the dress goes in it as 推荐
    page.goto(f"{url}/showcase/manage/")
    page.fill(".cat-create input[name=name]", "裙装")
    page.click("#category-add")
    dress = page.locator(".manage-item", has_text="法式碎花连衣裙")
    dress.locator("select[name=category]").select_option(label="裙装")
    dress.locator("input[name=is_recommended]").check()
    dress.locator(".manage-item__flags button").click()
    page.wait_for_selector(".flash__item")
    item = ShowcaseItem.objects.get(product__title="法式碎花连衣裙")
    assert item.is_recommended and item.category.name == "裙装"
    shoot(page, "creator", "showcase-manage")

    # Reorder without JavaScript's help (the arrow buttons) ...
    page.locator(".manage-item", has_text="天猫 真丝衬衫 垂感").locator("button[value=up]").click()
    page.wait_for_load_state()
    assert _order(creator) == ["法式碎花连衣裙", "天猫 真丝衬衫 垂感", "高腰阔腿牛仔裤"]
    # ... and by dragging
    page.drag_and_drop(".manage-item:has-text('高腰阔腿牛仔裤') .drag-handle",
                       ".manage-item:has-text('法式碎花连衣裙')", target_position={"x": 20, "y": 5})
    page.wait_for_function("document.getElementById('manage-list').hasAttribute('data-saved')")
    assert _order(creator) == ["高腰阔腿牛仔裤", "法式碎花连衣裙", "天猫 真丝衬衫 垂感"]

    # The shopper's view shows the edit at once, recommended first
    viewer = pages()
    viewer.goto(f"{url}/@{creator.handle}/showcase/")
    titles = viewer.locator(".shop-card__title").all_inner_texts()
    assert "法式碎花连衣裙" in titles[0] and len(titles) == 3
    shoot(viewer, "shopper", "showcase")

    # The video: two cart products from the showcase and a seeding tag from the pool
    page.goto(f"{url}/me/videos/")
    page.locator(f"[data-video='{video.pk}'] a", has_text="添加商品").click()
    page.wait_for_url(f"{url}/showcase/videos/{video.pk}/products/")
    for title in ("法式碎花连衣裙", "高腰阔腿牛仔裤"):
        page.locator("#add-showcase li", has_text=title).locator("button[value=cart]").click()
        page.wait_for_load_state()
    page.fill("#add-search input[name=q]", "外套")
    page.click("#add-search button")
    page.locator("#add-search li", has_text="通勤小香风外套").locator("button[value=seeding]").click()
    page.wait_for_load_state()
    assert page.locator("#video-cart li").count() == 2 and page.locator("#video-seeding li").count() == 1
    kinds = dict(VideoProduct.objects.filter(video=video).values_list("product__title", "kind"))
    assert kinds == {"法式碎花连衣裙": "cart", "高腰阔腿牛仔裤": "cart", "通勤小香风外套": "seeding"}
    shoot(page, "creator", "video-cart")

    # Go live with two showcase products
    page.goto(f"{url}/showcase/live/")
    page.fill("#id_title", "今晚穿搭直播")
    page.set_input_files("#id_cover", files=[{"name": "cover.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}])
    page.locator("#live-start label", has_text="法式碎花连衣裙").locator("input").check()
    page.locator("#live-start label", has_text="天猫 真丝衬衫 垂感").locator("input").check()
    page.click("#go-live")
    page.wait_for_url(re.compile(r".*/showcase/live/\d+/$"))
    session = LiveSession.objects.get(host=creator, status="live")
    dress_id, shirt_id = (ShowcaseItem.objects.get(product__title=t).product_id
                          for t in ("法式碎花连衣裙", "天猫 真丝衬衫 垂感"))

    # A viewer opens the live room; nothing is being explained yet
    viewer.goto(f"{url}/live/{session.pk}/")
    viewer.evaluate("window.__sameDocument = true")
    assert viewer.locator(".live-item.is-explaining").count() == 0

    # The host explains the dress, then switches to the shirt: the viewer follows without reloading
    page.locator(f".console-item[data-product-id='{dress_id}'] .explain-btn").click()
    viewer.wait_for_selector(f".live-item.is-explaining[data-product-id='{dress_id}']")
    page.locator(f".console-item[data-product-id='{shirt_id}'] .explain-btn").click()
    viewer.wait_for_selector(f".live-item.is-explaining[data-product-id='{shirt_id}']")
    assert viewer.locator(".live-item.is-explaining").count() == 1
    assert viewer.evaluate("window.__sameDocument") is True
    assert list(LiveProduct.objects.filter(session=session, explaining=True).values_list("product_id", flat=True)) \
        == [shirt_id]

    # The host adds a third product: it appears in the viewer's list, still without reloading
    page.locator("#console-add li", has_text="高腰阔腿牛仔裤").locator("button").click()
    viewer.wait_for_function("document.querySelectorAll('.live-item').length === 3")
    assert viewer.evaluate("window.__sameDocument") is True
    shoot(page, "creator", "live-console")
    shoot(viewer, "shopper", "live-room")

    # Ending the live: the viewer's badge says so
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#end-live")
    page.wait_for_url(f"{url}/showcase/live/")
    viewer.wait_for_function("!document.getElementById('live-status').classList.contains('is-live')")
