"""What shoppers see: the showcase page, the seeding page (种草页), the live room, search; and the
creator's hub (商品橱窗). Every link records its channel and creator."""
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from creators.services import cart_right_suspend
from showcase import services
from showcase.stats.buffer import get_buffer
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import UserFactory, VideoFactory

from .helpers import cover, creator_with_rights, login

pytestmark = pytest.mark.django_db


def buffered():
    buffer = get_buffer()
    batch = buffer.take()
    return buffer.read(batch) if batch else {}


# --- the showcase page --------------------------------------------------------------------------------
def test_showcase_shows_recommended_first_new_badges_and_category_tabs(client, creator):
    a, b, c = ProductFactory.create_batch(3)
    tops = services.showcase_category_create(owner=creator, name="上衣")
    services.showcase_category_create(owner=creator, name="空分类")
    services.showcase_item_add(owner=creator, product_id=a.pk)
    services.showcase_item_add(owner=creator, product_id=b.pk, is_new=True, category_id=tops.pk)
    services.showcase_item_add(owner=creator, product_id=c.pk, is_recommended=True)
    html = client.get(reverse("showcase:showcase", args=[creator.handle])).content.decode()
    assert html.index(f'data-product-id="{c.pk}"') < html.index(f'data-product-id="{a.pk}"') \
        < html.index(f'data-product-id="{b.pk}"')
    assert "推荐" in html and "上新" in html
    assert f'data-category="{tops.pk}"' in html and "空分类" not in html  # empty tabs are not shown
    only_tops = client.get(reverse("showcase:showcase", args=[creator.handle]) + f"?cat={tops.pk}").content.decode()
    assert f'data-product-id="{b.pk}"' in only_tops and f'data-product-id="{a.pk}"' not in only_tops


def test_showcase_links_carry_the_channel_and_creator(client, creator):
    p = ProductFactory()
    services.showcase_item_add(owner=creator, product_id=p.pk)
    html = client.get(reverse("showcase:showcase", args=[creator.handle])).content.decode()
    assert f"/products/{p.pk}/?ch=showcase&amp;c={creator.pk}" in html


def test_showcase_never_shows_commission(client, creator):
    services.showcase_item_add(owner=creator, product_id=ProductFactory(commission_rate_bp=3300).pk)
    html = client.get(reverse("showcase:showcase", args=[creator.handle])).content.decode()
    assert "33%" not in html and "佣金" not in html


def test_visitors_see_sell_too_and_my_orders_only_once_the_order_list_exists(client, creator):
    url = reverse("showcase:showcase", args=[creator.handle])
    with override_settings(ROOT_URLCONF="tests.showcase.urls_orders_pending"):
        html = client.get(url).content.decode()
    assert 'id="sell-too"' in html and "?entry=showcase" in html and 'id="my-orders"' not in html

    with override_settings(ROOT_URLCONF="tests.showcase.urls_orders_ready"):
        html = client.get(url).content.decode()
    assert 'id="my-orders"' in html and "我的订单" in html
    assert html.index("我的订单") < html.index("<main")


def test_a_creator_with_a_showcase_does_not_see_sell_too(client, creator, other_creator):
    login(client, other_creator)
    html = client.get(reverse("showcase:showcase", args=[creator.handle])).content.decode()
    assert 'id="sell-too"' not in html


def test_a_suspended_showcase_is_closed_for_shoppers(client, creator):
    services.showcase_item_add(owner=creator, product_id=ProductFactory(title="会被隐藏的商品").pk)
    cart_right_suspend(user=creator, kind="showcase", until=timezone.now() + timedelta(days=1), reason="违规")
    html = client.get(reverse("showcase:showcase", args=[creator.handle])).content.decode()
    assert "会被隐藏的商品" not in html and "橱窗暂未开放" in html


def test_unknown_creator_category_or_page_is_404(client, creator, other_creator):
    theirs = services.showcase_category_create(owner=other_creator, name="别人的")
    url = reverse("showcase:showcase", args=[creator.handle])
    assert client.get(reverse("showcase:showcase", args=["nobody_here"])).status_code == 404
    assert client.get(url + f"?cat={theirs.pk}").status_code == 404
    assert client.get(url + "?cat=abc").status_code == 404
    assert client.get(url + "?page=9").status_code == 404


def test_an_edit_shows_to_shoppers_at_once(client, creator, django_capture_on_commit_callbacks):
    url = reverse("showcase:showcase", args=[creator.handle])
    first = ProductFactory(title="第一件")
    services.showcase_item_add(owner=creator, product_id=first.pk)
    assert "第一件" in client.get(url).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):  # the version moves when the edit commits
        item = services.showcase_item_add(owner=creator, product_id=ProductFactory(title="刚上架").pk)
    assert "刚上架" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.showcase_item_remove(owner=creator, item_id=item.pk)
    assert "刚上架" not in client.get(url).content.decode()


def test_until_the_edit_commits_shoppers_see_the_cached_page(client, creator):
    url = reverse("showcase:showcase", args=[creator.handle])
    client.get(url)
    services.showcase_item_add(owner=creator, product_id=ProductFactory(title="还没提交").pk)
    assert "还没提交" not in client.get(url).content.decode()


def test_with_the_worker_copy_on_an_edit_shows_within_half_a_second(client, creator, settings, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    from showcase import cache as vcache

    settings.SHOWCASE_HOT_LOCAL_SECONDS = 0.5
    clock = [5000.0]
    monkeypatch.setattr(vcache.time, "monotonic", lambda: clock[0])
    url = reverse("showcase:showcase", args=[creator.handle])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        services.showcase_item_add(owner=creator, product_id=ProductFactory(title="半秒后可见").pk)
    clock[0] += 0.3
    assert "半秒后可见" not in client.get(url).content.decode()  # this worker's copy, 0.3 s old
    clock[0] += 0.3
    assert "半秒后可见" in client.get(url).content.decode()


def test_anonymous_pages_are_the_same_for_every_shopper_and_set_no_cookie(client, creator):
    from django.test import Client

    p = ProductFactory()
    services.showcase_item_add(owner=creator, product_id=p.pk)
    for url in (reverse("showcase:showcase", args=[creator.handle]),
                reverse("showcase:product", args=[p.pk]) + f"?ch=showcase&c={creator.pk}"):
        first, second = client.get(url), Client().get(url)
        assert first.content == second.content
        assert not first.cookies and not second.cookies and "csrfmiddlewaretoken" not in first.content.decode()
        assert 'class="lang-switch"' in first.content.decode()


def test_a_cached_seeding_page_never_carries_another_shoppers_channel(client, creator, other_creator, video):
    from django.test import Client

    p = ProductFactory()
    base = reverse("showcase:product", args=[p.pk])
    Client().get(base + f"?ch=video&c={other_creator.pk}&v={video.pk}")  # caches the page
    html = client.get(base + f"?ch=showcase&c={creator.pk}").content.decode()
    assert f"c={other_creator.pk}" not in html and "ch=video" not in html
    assert f'href="/go/{p.pk}/?ch=showcase&amp;c={creator.pk}"' in html


def test_showcase_pages_and_live_badge(client, creator, settings, django_capture_on_commit_callbacks):
    settings.SHOWCASE_PAGE_SIZE = 2
    products = ProductFactory.create_batch(3)
    for p in products:
        services.showcase_item_add(owner=creator, product_id=p.pk)
    url = reverse("showcase:showcase", args=[creator.handle])
    assert "?page=2" in client.get(url).content.decode()
    assert f'data-product-id="{products[2].pk}"' in client.get(url + "?page=2").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        session = services.live_session_start(host=creator, title="今晚上新", cover=cover())
    html = client.get(url).content.decode()
    assert reverse("showcase:live_room", args=[session.pk]) in html and "直播中" in html


def test_showcase_view_is_counted_for_the_creator(client, creator):
    client.get(reverse("showcase:showcase", args=[creator.handle]))
    assert any(k.endswith(f"|{creator.pk}|showcase||view") for k in buffered())


def test_profile_has_the_showcase_tab(client, creator):
    html = client.get(reverse("creators:profile", args=[creator.handle])).content.decode()
    assert reverse("showcase:showcase", args=[creator.handle]) in html


# --- the seeding page -----------------------------------------------------------------------------------
def test_seeding_page_shows_images_price_source_shop_scores_but_no_commission(client):
    p = ProductFactory(title="纯棉短袖T恤", price_fen=5900, commission_rate_bp=2300, shop_name="品质好店",
                       shop_dsr_description=485, industry_dsr_description=470, shop_dsr_service=460,
                       industry_dsr_service=470, image_urls=["https://img.example/a.jpg", "https://img.example/b.jpg"])
    html = client.get(reverse("showcase:product", args=[p.pk])).content.decode()
    assert "纯棉短袖T恤" in html and "59.00" in html and 'id="source-badge"' in html and "淘宝天猫" in html
    assert "https://img.example/b.jpg" in html and "品质好店" in html
    assert "4.85" in html and "4.70" in html and "高于" in html and "低于" in html
    assert "23%" not in html and "佣金" not in html


def test_external_buy_button_goes_through_a_tracked_click_keeping_the_channel(client, creator, video):
    p = ProductFactory()
    html = client.get(reverse("showcase:product", args=[p.pk]) + f"?ch=video&c={creator.pk}&v={video.pk}"
                      ).content.decode()
    assert f'href="/go/{p.pk}/?ch=video&amp;c={creator.pk}&amp;v={video.pk}"' in html
    assert "去淘宝购买" in html  # Taobao opens Taobao


def test_native_buy_button_is_disabled_until_checkout_exists(client):
    p = ProductFactory(source="alliance")
    with override_settings(ROOT_URLCONF="tests.showcase.urls_orders_pending"):
        html = client.get(reverse("showcase:product", args=[p.pk])).content.decode()
    assert 'id="checkout-soon"' in html and "下单功能即将开放" in html and "disabled" in html
    with override_settings(ROOT_URLCONF="tests.showcase.urls_orders_ready"):
        html = client.get(reverse("showcase:product", args=[p.pk])).content.decode()
    assert 'id="checkout-soon"' not in html and f'href="/go/{p.pk}/"' in html


def test_seeding_page_view_is_counted_with_its_channel(client, creator):
    p = ProductFactory()
    client.get(reverse("showcase:product", args=[p.pk]) + f"?ch=showcase&c={creator.pk}")
    assert any(k.endswith(f"|{creator.pk}|showcase|{p.pk}|view") for k in buffered())


def test_a_direct_visit_records_no_channel_event_and_bad_params_are_ignored(client):
    p = ProductFactory()
    assert client.get(reverse("showcase:product", args=[p.pk]) + "?ch=nonsense&c=abc").status_code == 200
    assert buffered() == {}


def test_unknown_product_is_404(client):
    assert client.get(reverse("showcase:product", args=[987654])).status_code == 404


# --- the live room ----------------------------------------------------------------------------------------
def test_live_room_lists_products_and_highlights_the_explaining_one(client, creator):
    products = ProductFactory.create_batch(3)
    for p in products:
        services.showcase_item_add(owner=creator, product_id=p.pk)
    session = services.live_session_start(host=creator, title="直播间", cover=cover(),
                                          product_ids=[p.pk for p in products])
    services.live_explaining_set(host=creator, session_id=session.pk, product_id=products[1].pk)
    html = client.get(reverse("showcase:live_room", args=[session.pk])).content.decode()
    assert f'class="live-item is-explaining" data-product-id="{products[1].pk}"' in html
    assert f"?ch=live&amp;c={creator.pk}&amp;l={session.pk}" in html
    assert reverse("showcase_api:live_explaining", args=[session.pk]) in html
    fragment = client.get(reverse("showcase:live_room_products", args=[session.pk])).content.decode()
    assert fragment.count("live-item__no") == 3


def test_unknown_live_room_is_404(client):
    assert client.get(reverse("showcase:live_room", args=[424242])).status_code == 404


# --- search ----------------------------------------------------------------------------------------------
def test_search_all_tab_mixes_creators_videos_and_products(client):
    creator = creator_with_rights(nickname="保温杯测评君")
    VideoFactory(owner=creator, title="保温杯横评")
    p = ProductFactory(title="不锈钢保温杯大容量")
    html = client.get(reverse("showcase:search"), {"q": "保温杯"}).content.decode()
    assert "保温杯测评君" in html and "保温杯横评" in html and "不锈钢保温杯大容量" in html
    assert f"/products/{p.pk}/?ch=search" in html


def test_search_products_tab_filters_by_source_and_price_and_sorts(client):
    cheap = ProductFactory(title="纯棉短袖T恤 基础款", price_fen=2900, sales_volume=5)
    dear = ProductFactory(title="纯棉短袖T恤 高端款", price_fen=19900, sales_volume=50)
    jd = ProductFactory(title="纯棉短袖T恤 京东", source="jd", price_fen=3900)
    url = reverse("showcase:search")
    html = client.get(url, {"q": "短袖", "tab": "products", "sort": "price"}).content.decode()
    assert html.index(f'data-product-id="{cheap.pk}"') < html.index(f'data-product-id="{jd.pk}"') \
        < html.index(f'data-product-id="{dear.pk}"')
    html = client.get(url, {"q": "短袖", "tab": "products", "source": "jd"}).content.decode()
    assert f'data-product-id="{jd.pk}"' in html and f'data-product-id="{cheap.pk}"' not in html
    html = client.get(url, {"q": "短袖", "tab": "products", "price_min": "30", "price_max": "100"}).content.decode()
    assert f'data-product-id="{jd.pk}"' in html and f'data-product-id="{dear.pk}"' not in html


def test_search_bad_filters_are_shown_next_to_the_field(client):
    response = client.get(reverse("showcase:search"), {"q": "短袖", "tab": "products", "price_min": "abc"})
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    response = client.get(reverse("showcase:search"), {"q": "短袖", "tab": "products", "price_min": "50",
                                                       "price_max": "10"})
    assert response.status_code == 400


def test_empty_search_shows_the_prompt(client):
    response = client.get(reverse("showcase:search"))
    assert response.status_code == 200 and "发现好物" in response.content.decode()


# --- the hub ------------------------------------------------------------------------------------------------
def test_hub_shows_the_modules_that_exist_and_hides_the_others(client, creator):
    login(client, creator)
    html = client.get(reverse("showcase:center")).content.decode()
    assert 'data-tile="manage"' in html and 'data-tile="live"' in html and 'data-tile="shop"' in html
    from django.urls import NoReverseMatch

    for key, name in (("dashboard", "stats:dashboard"), ("leaderboard", "stats:leaderboard"),
                      ("income", "commissions:income"), ("rules", "creators:rules"),
                      ("academy", "notices:academy"), ("announcements", "notices:announcements")):
        try:
            url = reverse(name)
        except NoReverseMatch:
            assert f'data-tile="{key}"' not in html
        else:
            assert f'href="{url}" data-tile="{key}"' in html


def test_hub_needs_login_and_the_me_page_links_it(client, creator):
    assert client.get(reverse("showcase:center")).status_code == 302
    login(client, creator)
    assert reverse("showcase:center") in client.get(reverse("creators:me")).content.decode()


def test_hub_offers_my_shop_to_merchants(client):
    from tests.factories.affiliates import ShopFactory

    merchant = UserFactory()
    ShopFactory(owner=merchant)
    login(client, merchant)
    html = client.get(reverse("showcase:center")).content.decode()
    assert reverse("affiliates:merchant_home") in html and "我的小店" in html
