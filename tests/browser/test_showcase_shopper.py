"""In a real browser, an anonymous shopper reaches the seeding page (种草页) from a creator's
showcase, from a live room and from search (综合 and 商品 tabs); the buy button goes through a
tracked click, and a Taobao product opens Taobao through its 淘口令 page (the sandbox's)."""
import pytest
from django.db import connections

from affiliates.sandbox import catalog
from orders.models import Click
from showcase import services
from tests.affiliates.sandbox_transport import point_sources_at
from tests.factories.affiliates import ProductFactory
from tests.showcase.helpers import cover, creator_with_rights

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pages(transactional_db, live_server, request):
    connections.close_all()
    page_factory = request.getfixturevalue("page_factory")
    yield page_factory
    connections.close_all()


@pytest.fixture
def world(live_server, settings):
    """A creator with a showcase (one Taobao product from the sandbox's catalog), live with two
    products, one of them being explained."""
    from affiliates.sources.http import reset_buckets

    settings.SANDBOX_FAULTS = {}
    point_sources_at(settings, live_server.url)
    reset_buckets()
    item = next(catalog.item("taobao", i) for i in range(catalog.size())
                if catalog.item("taobao", i).in_union and catalog.item("taobao", i).available)
    creator = creator_with_rights(nickname="果哥的苹果园")
    apple = ProductFactory(source="taobao", external_id=item.external_id, title="洛川红富士苹果 脆甜多汁")
    tea = ProductFactory(title="明前龙井 绿茶 礼盒", source="jd")
    category = services.showcase_category_create(owner=creator, name="水果")
    services.showcase_item_add(owner=creator, product_id=apple.pk, category_id=category.pk, is_recommended=True)
    services.showcase_item_add(owner=creator, product_id=tea.pk, is_new=True)
    session = services.live_session_start(host=creator, title="苹果产地直播", cover=cover(),
                                          product_ids=[apple.pk, tea.pk])
    services.live_explaining_set(host=creator, session_id=session.pk, product_id=tea.pk)
    connections.close_all()
    return {"creator": creator, "apple": apple, "tea": tea, "session": session}


def test_from_the_showcase_to_the_seeding_page_and_on_to_taobao(pages, live_server, world):
    url, creator, apple = live_server.url, world["creator"], world["apple"]
    page = pages()
    page.goto(f"{url}/@{creator.handle}/showcase/")
    assert page.locator("#sell-too").is_visible()  # 我也要带货, top right
    assert page.locator(".live-now").is_visible()
    page.click(".window-tabs a:has-text('水果')")  # the category tab
    assert page.locator(".shop-card").count() == 1
    page.locator(".shop-card", has_text="洛川红富士苹果").click()
    page.wait_for_url(f"{url}/products/{apple.pk}/?ch=showcase&c={creator.pk}")
    assert "淘宝天猫" in page.locator("#source-badge").inner_text()
    assert "佣金" not in page.content()
    assert page.locator("#shop").is_visible()

    page.click("#buy")
    page.wait_for_selector("#taobao-token")
    click = Click.objects.get()
    assert (click.channel, click.creator_id, click.product_id) == ("showcase", creator.pk, apple.pk)
    assert click.id in click.target_url
    assert page.locator("#taobao-token").input_value().startswith("￥")
    page.click("#open-taobao")  # the sandbox's Taobao landing page, carrying our click id
    page.wait_for_load_state()
    assert click.id in page.url or click.id in page.content()


def test_from_the_live_room_to_the_seeding_page(pages, live_server, world):
    url, session, tea = live_server.url, world["session"], world["tea"]
    page = pages()
    page.goto(f"{url}/live/{session.pk}/")
    explaining = page.locator(".live-item.is-explaining")
    assert explaining.count() == 1 and "明前龙井" in explaining.inner_text()
    explaining.locator(".live-item__buy").click()
    page.wait_for_url(f"{url}/products/{tea.pk}/?ch=live&c={world['creator'].pk}&l={session.pk}")
    href = page.locator("#buy").get_attribute("href")
    assert href == f"/go/{tea.pk}/?ch=live&c={world['creator'].pk}&l={session.pk}"


def test_from_search_in_both_tabs_to_the_seeding_page(pages, live_server, world):
    url, apple = live_server.url, world["apple"]
    ProductFactory(title="烟台红富士苹果 10斤装", price_fen=8800, sales_volume=5)
    page = pages()
    page.goto(f"{url}/")
    page.click(".bottom-nav a:has-text('商城')")
    page.fill("#search-q", "苹果")
    page.press("#search-q", "Enter")
    page.wait_for_selector(".search-products")
    assert "果哥的苹果园" in page.locator("main").inner_text()  # creators in 综合 too
    page.locator(".shop-card", has_text="洛川红富士苹果").click()
    page.wait_for_url(f"{url}/products/{apple.pk}/?ch=search")
    page.go_back()
    page.click("#tab-products")
    page.select_option("#id_sort", "price")
    page.click(".search-filters button[type=submit]")
    page.wait_for_selector(".shop-grid")
    titles = page.locator(".shop-card__title").all_inner_texts()
    assert len(titles) == 2 and "烟台" in titles[0]  # ¥88 before the catalog's price


def test_switching_language_on_a_cached_seeding_page_keeps_the_shoppers_own_channel(pages, live_server, world):
    url, creator, session, tea = live_server.url, world["creator"], world["session"], world["tea"]
    pages().goto(f"{url}/products/{tea.pk}/?ch=live&c={creator.pk}&l={session.pk}")  # another shopper caches it
    page = pages()
    own = f"{url}/products/{tea.pk}/?ch=showcase&c={creator.pk}"
    page.goto(own)
    assert page.context.cookies() == []  # a cached page sets no cookie
    page.select_option("#lang-select", "en")
    page.wait_for_selector("html[lang=en]")
    assert page.url == own
    assert page.locator("#buy").get_attribute("href") == f"/go/{tea.pk}/?ch=showcase&c={creator.pk}"
    page.select_option("#lang-select", "zh-hans")
    page.wait_for_selector("html[lang=zh-hans]")
    assert page.url == own and "购买" in page.locator("#buy").inner_text()
