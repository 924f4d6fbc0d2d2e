"""In a real browser: a shopper buys a shop product from its seeding page, adds an address,
pays on the sandbox page (the signed notify comes back asynchronously), and gets 购物助手
messages as the merchant ships in the back office and they confirm receipt. The second journey
starts in the feed: the video's cart tag opens its products, the seeding page carries the
video channel, and the order is attributed to the video and its creator.

Mutation tried once: ``order_refund_request`` in ``orders/services/aftersale.py`` ignoring the
amount asked and refunding everything left: the partial-refund journey fails where the merchant's
order page reads 申请: ¥78.00 · 2 件 instead of the ¥39.00 the shopper asked for."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connections

from affiliates.models import Sku
from notices.models import InboxMessage
from orders.models import Click, Order
from orders.selectors import click_for_attribution
from showcase.models import VideoProduct
from tests.factories.affiliates import ShopFactory
from tests.factories.creators import PASSWORD, UserFactory
from tests.orders.helpers import shop_product
from tests.showcase.engage.conftest import PlayableVideoFactory, creator_with_rights

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


def _noshot(*args, **kwargs):
    return None


def _buy_pay_ship_confirm(pages, page, url, *, product, sku, merchant, shopper, shots=False) -> Order:
    """From the seeding page: buy two, add an address, pay on the sandbox page, the merchant ships,
    the shopper confirms receipt and has heard from 购物助手 at every step. ``shots``: the key pages
    are saved for ``make screenshots`` (shopper and merchant journeys)."""
    snap = shoot if shots else _noshot
    snap(page, "shopper", "seeding-page")
    page.click("#buy")
    page.wait_for_url(f"{url}/checkout/{product.pk}/?click=*")
    page.click("#add-address")
    page.fill("input[name=recipient]", "王小明")
    page.fill("input[name=phone]", "13912345678")
    page.fill("input[name=region]", "北京市 朝阳区")
    page.fill("input[name=detail]", "建国路 88 号")
    page.click("#save-address")
    page.wait_for_url(f"{url}/checkout/{product.pk}/?click=*")
    snap(page, "shopper", "checkout")
    page.fill("#quantity", "2")
    assert page.inner_text("#total") == "¥78.00"
    page.click("#place-order")
    page.wait_for_url(f"{url}/pay/sandbox/**")
    assert "78.00" in page.inner_text("#amount")
    snap(page, "shopper", "sandbox-pay")
    page.click("#pay-confirm")
    page.wait_for_url(f"{url}/orders/*/")
    assert page.get_attribute("#order-status", "data-status") == "paid"
    order = Order.objects.get()
    assert Sku.objects.get(pk=sku.pk).stock == 1 and order.click_id
    snap(page, "shopper", "order-paid")

    shop = pages(desktop=True)
    _login(shop, url, merchant, "/merchant/orders/")
    snap(shop, "merchant", "orders")
    shop.click(f"tr[data-order='{order.number}'] a")
    shop.fill("input[name=carrier]", "顺丰速运")
    shop.fill("input[name=tracking_number]", "SF1029384756")
    shop.click("#ship")
    shop.wait_for_selector("text=已发货")
    snap(shop, "merchant", "order-shipped")

    page.reload()
    assert page.inner_text("#tracking") == "SF1029384756"
    page.click("#confirm")
    page.wait_for_selector("#order-status[data-status=received]")
    titles = list(InboxMessage.objects.filter(recipient=shopper, sender__handle="gouwuzhushou")
                  .order_by("pk").values_list("kind", flat=True))
    assert titles == ["order.pending_payment", "order.paid", "order.shipped", "order.received"]
    snap(page, "shopper", "order-received")
    page.goto(f"{url}/inbox/")
    assert "购物助手" in page.content()
    snap(page, "shopper", "inbox")
    return Order.objects.get(pk=order.pk)


def _bought_from_the_seeding_page(pages, url) -> tuple[Order, object, object]:
    """A merchant's product bought, paid, shipped and received by a signed-in shopper:
    (order, the shopper's page, the merchant)."""
    merchant = UserFactory()
    product, (sku,) = shop_product(stock=3, price_fen=3900, shop=ShopFactory(owner=merchant))
    shopper = UserFactory()
    connections.close_all()
    page = pages()
    _login(page, url, shopper, f"/products/{product.pk}/")
    order = _buy_pay_ship_confirm(pages, page, url, product=product, sku=sku, merchant=merchant, shopper=shopper)
    return order, page, merchant


def test_a_shopper_buys_pays_and_hears_from_the_shopping_assistant(pages, live_server):
    _bought_from_the_seeding_page(pages, live_server.url)


def test_a_shopper_buys_from_a_video_card_in_the_feed(pages, live_server):
    url = live_server.url
    merchant = UserFactory()
    product, (sku,) = shop_product(stock=3, price_fen=3900, shop=ShopFactory(owner=merchant))
    creator = creator_with_rights(handle="linlin", nickname="琳琳穿搭")
    video = PlayableVideoFactory(owner=creator, title="小个子显高穿搭公式")
    VideoProduct.objects.create(video=video, product=product, kind=VideoProduct.Kind.CART, position=0)
    shopper = UserFactory()
    connections.close_all()

    page = pages()
    _login(page, url, shopper, "/")
    shoot(page, "shopper", "feed")
    slide = page.locator(f'.slide[data-video="{video.pk}"]')
    tag = slide.locator(".cart-tag")
    assert product.title in tag.inner_text()
    # The cart tag sits at the lower left of the video.
    box, frame = tag.bounding_box(), slide.locator(".slide__frame").bounding_box()
    assert box["x"] - frame["x"] < frame["width"] / 4 and box["y"] > frame["y"] + frame["height"] / 2
    tag.click()
    row = page.locator(f'#sheet .prow[data-product="{product.pk}"]')
    row.wait_for()
    row.click()
    page.wait_for_url(re.compile(rf"/products/{product.pk}/\?"))
    query = {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}
    assert query == {"ch": "video", "c": str(creator.pk), "v": str(video.pk)}

    order = _buy_pay_ship_confirm(pages, page, url, product=product, sku=sku, merchant=merchant,
                                  shopper=shopper, shots=True)
    click = Click.objects.get(pk=order.click_id)
    assert (click.channel, click.creator_id, click.video_id, click.shopper_id) == (
        "video", creator.pk, video.pk, shopper.pk)
    assert (order.channel, order.creator_id) == ("video", creator.pk)
    assert click_for_attribution(product_id=product.pk, at=order.created_at, shopper_id=shopper.pk) == click


def test_a_shopper_gets_part_of_a_received_order_refunded(pages, live_server):
    """The end of the shopper's journey: one of two units refunded, approved by the merchant, the
    money back on the order page."""
    url = live_server.url
    order, page, merchant = _bought_from_the_seeding_page(pages, url)

    page.goto(f"{url}/orders/{order.number}/")
    page.click("#refund-form >> xpath=ancestor::details/summary")
    page.fill("#refund-form input[name=reason]", "有一件尺码不合适")
    page.fill("#refund-form input[name=quantity]", "1")
    page.click("#refund-submit")
    page.wait_for_selector("#order-status[data-status=refund_requested]")
    shoot(page, "shopper", "refund-requested")

    shop = pages(desktop=True)
    _login(shop, url, merchant, f"/merchant/orders/{order.number}/")
    assert "39.00" in shop.inner_text("#refund-asked")
    shoot(shop, "merchant", "refund-asked")
    shop.click("#refund-approve")
    shop.wait_for_selector("#refunds")

    page.goto(f"{url}/orders/{order.number}/")
    item = page.locator("#refunds .refund-list__item").first
    assert "39.00" in item.inner_text()
    shoot(page, "shopper", "refund-approved")
