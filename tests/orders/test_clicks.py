"""The buy button (orders:buy): every press stores a tracked click with channel, creator, content and
shopper, counts it in the stats, and sends the shopper on — external products to the source's
promotion link carrying the click id, Taobao through a 淘口令 page, native products to checkout.
The attribution rule (last click within the window) lives in one function."""
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from affiliates.models import Product
from affiliates.sandbox import catalog
from affiliates.sandbox.models import SandboxLink
from orders import services
from orders.models import Click
from orders.selectors import click_for_attribution
from showcase import services as showcase_services
from showcase.stats.buffer import get_buffer, reset_buffer
from showcase.tracking import Via
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import UserFactory, VideoFactory
from tests.showcase.helpers import cover, creator_with_rights, login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_stats_buffer():
    reset_buffer()
    get_buffer().clear()
    yield
    get_buffer().clear()
    reset_buffer()


def sandbox_product(source: str) -> Product:
    item = next(catalog.item(source, i) for i in range(catalog.size())
                if catalog.item(source, i).in_union and catalog.item(source, i).available)
    return ProductFactory(source=source, external_id=item.external_id, title=item.title)


@pytest.fixture
def creator():
    return creator_with_rights(nickname="琳琳穿搭")


def go(product, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("orders:buy", args=[product.pk]) + (f"?{query}" if query else "")


def test_a_video_click_records_channel_creator_video_shopper_and_time(client, sandbox, creator):
    product = sandbox_product("jd")
    video = VideoFactory(owner=creator)
    showcase_services.video_product_add(owner=creator, video_id=video.pk, product_id=product.pk)
    shopper = UserFactory()
    login(client, shopper)
    response = client.get(go(product, ch="video", c=creator.pk, v=video.pk), HTTP_USER_AGENT="Mozilla/5.0 测试")
    click = Click.objects.get()
    assert (click.channel, click.creator, click.video, click.live, click.product, click.shopper) == (
        "video", creator, video, None, product, shopper)
    assert len(click.id) == 12 and click.id.isalnum() and click.user_agent == "Mozilla/5.0 测试"
    assert click.created_at and click.visitor_key
    # JD: straight to the source's promotion link, the click id in subUnionId
    assert response.status_code == 302 and click.target_url == response.url
    link = SandboxLink.objects.get(source="jd")
    assert link.click_id == click.id and link.external_id == product.external_id


def test_taobao_shows_a_token_page_that_opens_taobao(client, sandbox, creator):
    product = sandbox_product("taobao")
    showcase_services.showcase_item_add(owner=creator, product_id=product.pk)
    response = client.get(go(product, ch="showcase", c=creator.pk))
    click = Click.objects.get()
    html = response.content.decode()
    assert response.status_code == 200 and 'id="taobao-token"' in html and "打开淘宝" in html
    assert f"external_id={click.id}" in click.target_url
    token = SandboxLink.objects.get(source="taobao", click_id=click.id).code
    assert f"￥{token}￥" in html and 'id="open-taobao"' in html
    assert (click.channel, click.creator_id) == ("showcase", creator.pk)


def test_an_anonymous_visitor_gets_a_key_kept_in_the_session(client, sandbox):
    product = sandbox_product("jd")
    client.get(go(product, ch="search"))
    client.get(go(product, ch="search"))
    first, second = Click.objects.order_by("created_at")
    assert first.shopper is None and first.visitor_key and first.visitor_key == second.visitor_key
    assert first.creator is None and first.channel == "search"


def test_a_live_click_carries_the_live_session(client, sandbox, creator):
    product = sandbox_product("jd")
    showcase_services.showcase_item_add(owner=creator, product_id=product.pk)
    session = showcase_services.live_session_start(host=creator, title="直播", cover=cover(),
                                                   product_ids=[product.pk])
    client.get(go(product, ch="live", c=creator.pk, l=session.pk))
    click = Click.objects.get()
    assert (click.channel, click.creator, click.live, click.video) == ("live", creator, session, None)


def test_a_creator_who_does_not_carry_the_product_gets_no_credit(client, sandbox, creator):
    product = sandbox_product("jd")
    client.get(go(product, ch="showcase", c=creator.pk))
    click = Click.objects.get()
    assert click.channel == "showcase" and click.creator is None


def test_the_click_is_counted_in_the_stats(client, sandbox, creator, django_capture_on_commit_callbacks):
    product = sandbox_product("jd")
    showcase_services.showcase_item_add(owner=creator, product_id=product.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(go(product, ch="showcase", c=creator.pk))
    buffer = get_buffer()
    counted = buffer.read(buffer.take())
    assert any(k.endswith(f"|{creator.pk}|showcase|{product.pk}|click") for k in counted)


@pytest.mark.parametrize("params, field", [({"ch": "tv"}, "ch"), ({"ch": "video", "c": "abc"}, "c"),
                                           ({"ch": "video", "v": "-3"}, "v"), ({"v": "1", "l": "2"}, "l")])
def test_malformed_links_are_a_clear_400_and_store_nothing(client, params, field):
    product = ProductFactory()
    response = client.get(go(product, **params))
    assert response.status_code == 400 and 'id="buy-problem"' in response.content.decode()
    assert not Click.objects.exists()


def test_unknown_or_sold_out_products(client):
    assert client.get(reverse("orders:buy", args=[999999])).status_code == 404
    sold_out = ProductFactory(available=False)
    assert client.get(go(sold_out)).status_code == 409
    assert not Click.objects.exists()


def test_native_products_wait_for_checkout_then_go_there_with_the_click(client, creator):
    product = ProductFactory(source="alliance")
    showcase_services.showcase_item_add(owner=creator, product_id=product.pk)
    with override_settings(ROOT_URLCONF="tests.showcase.urls_orders_pending"):
        response = client.get(go(product, ch="showcase", c=creator.pk))
    assert response.status_code == 302 and response.url.startswith(reverse("showcase:product", args=[product.pk]))
    assert not Click.objects.exists()
    with override_settings(ROOT_URLCONF="tests.showcase.urls_orders_ready"):
        response = client.get(go(product, ch="showcase", c=creator.pk))
    click = Click.objects.get()
    assert response.status_code == 302 and urlsplit(response.url).path == f"/checkout/{product.pk}/"
    assert parse_qs(urlsplit(response.url).query)["click"] == [click.id]
    assert (click.creator_id, click.channel) == (creator.pk, "showcase")


def test_a_source_that_refuses_shows_a_clear_page(client, sandbox):
    item = next(catalog.item("taobao", i) for i in range(catalog.size()) if not catalog.item("taobao", i).in_union)
    product = ProductFactory(source="taobao", external_id=item.external_id)
    response = client.get(go(product))
    assert response.status_code == 409 and "淘宝" in response.content.decode()


# --- attribution ---------------------------------------------------------------------------------
def click_at(moment, **fields):
    click = services.click_create(product_id=fields.pop("product").pk, via=fields.pop("via", Via()), **fields)
    Click.objects.filter(pk=click.pk).update(created_at=moment)
    click.refresh_from_db()
    return click


def test_the_last_click_within_the_window_wins(settings, creator):
    other = creator_with_rights()
    product = ProductFactory()
    for c in (creator, other):
        showcase_services.showcase_item_add(owner=c, product_id=product.pk)
    shopper = UserFactory()
    now = timezone.now()
    click_at(now - timedelta(days=3), product=product, shopper=shopper, via=Via("showcase", creator.pk))
    last = click_at(now - timedelta(days=1), product=product, shopper=shopper, via=Via("showcase", other.pk))
    assert click_for_attribution(product_id=product.pk, at=now, shopper_id=shopper.pk) == last
    assert click_for_attribution(product_id=product.pk, at=now, shopper_id=shopper.pk).creator == other


def test_clicks_outside_the_window_or_after_the_order_do_not_count(settings):
    settings.ATTRIBUTION_WINDOW = timedelta(days=7)
    product = ProductFactory()
    now = timezone.now()
    click_at(now - timedelta(days=8), product=product, visitor_key="v1")
    click_at(now + timedelta(minutes=5), product=product, visitor_key="v1")
    assert click_for_attribution(product_id=product.pk, at=now, visitor_key="v1") is None


def test_an_external_order_finds_its_click_by_id_and_the_buyers_later_click_wins():
    product, other_product = ProductFactory(), ProductFactory()
    now = timezone.now()
    first = click_at(now - timedelta(hours=5), product=product, visitor_key="v9")
    later = click_at(now - timedelta(hours=1), product=product, visitor_key="v9")
    click_at(now - timedelta(minutes=30), product=other_product, visitor_key="v9")
    click_at(now - timedelta(minutes=20), product=product, visitor_key="someone-else")
    assert click_for_attribution(product_id=product.pk, at=now, click_id=first.id) == later
    assert click_for_attribution(product_id=other_product.pk, at=now, click_id=first.id) is None
    assert click_for_attribution(product_id=product.pk, at=now, click_id="unknown") is None


def test_a_click_before_logging_in_still_counts_by_visitor_key():
    product = ProductFactory()
    now = timezone.now()
    anon = click_at(now - timedelta(hours=2), product=product, visitor_key="v5")
    assert click_for_attribution(product_id=product.pk, at=now, shopper_id=UserFactory().pk, visitor_key="v5") == anon
    assert click_for_attribution(product_id=product.pk, at=now) is None
