"""In a real browser, the merchant's whole journey: open a shop (开通小店), create a product with two
SKUs, give it an image and put it on sale, list it in 精选联盟 at a commission rate, find it paid for
in the order list and ship it, and — once the shopper has confirmed receipt and the order has
completed — read its proceeds as available on the funds page (小店账款).

Mutation tried once: ``native_order_completed`` in ``commissions/services.py`` returning before it
releases the proceeds: the completed order's ¥41.60 stays pending and the funds page's 可提现 reads
¥0.00."""
import struct
import zlib
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from affiliates.models import Product, ProductSource, Shop, ShopProduct, Sku
from orders import services as order_services
from orders.models import Order, OrderStatus
from showcase import services as showcase_services
from showcase.tracking import Via
from tests.commissions.helpers import creator
from tests.commissions.withdrawal_helpers import verified
from tests.factories.creators import UserFactory
from tests.orders.helpers import pay, place, shopper

from .shots import shoot
from .test_orders_journey import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pages(transactional_db, live_server, request):
    connections.close_all()
    page_factory = request.getfixturevalue("page_factory")
    yield page_factory
    connections.close_all()


def _png(path) -> str:
    """A real 8×8 PNG (the image check opens the file)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xee\x33\x55" * 8 for _ in range(8))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return str(path)


def test_a_merchant_opens_a_shop_sells_through_the_alliance_ships_and_sees_the_funds(pages, live_server, tmp_path):
    url = live_server.url
    merchant = verified(UserFactory())
    connections.close_all()
    page = pages(desktop=True)
    _login(page, url, merchant, "/shop/open/")

    # 开通小店
    shoot(page, "merchant", "shop-open")
    page.fill("#id_name", "小明的零食铺")
    page.select_option("#id_category", "food")
    page.fill("#id_contact_name", "王小明")
    page.fill("#id_contact_phone", "13912345678")
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{url}/merchant/")
    shop = Shop.objects.get(owner=merchant)

    # A product with two SKUs: spec, price and stock each.
    page.goto(f"{url}/merchant/products/new/")
    page.fill("#id_title", "手工芝麻糖 礼盒装")
    page.select_option("#id_category", "food")
    page.fill("#id_description", "老家的做法，每天现做。")
    page.fill("#id_sku-0-name", "250g")
    page.fill("#id_sku-0-price", "29.90")
    page.fill("#id_sku-0-stock", "50")
    page.click("#sku-add")
    page.fill("#id_sku-1-name", "500g")
    page.fill("#id_sku-1-price", "52")
    page.fill("#id_sku-1-stock", "20")
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{url}/merchant/products/*/")
    item = ShopProduct.objects.get(shop=shop)
    assert sorted(Sku.objects.filter(product=item).values_list("name", "price_fen", "stock")) == [
        ("250g", 2990, 50), ("500g", 5200, 20)]

    # An image, then on sale, then listed in the alliance at 20 %.
    page.set_input_files("input[name=image]", _png(tmp_path / "candy.png"))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector(".image-grid li form")  # the image's own remove button
    page.click("text=上架销售")
    page.wait_for_selector(".pill--ok")
    page.fill("#id_commission_rate", "20")
    page.click("form[action$='/alliance/'] button[type=submit]")
    page.wait_for_selector("text=所有达人都能在选品广场找到它")
    item.refresh_from_db()
    assert item.status == "on_sale" and item.alliance_rate_bp == 2000
    shoot(page, "merchant", "product-listed")
    listed = Product.objects.get(source=ProductSource.ALLIANCE, external_id=item.public_id)
    assert listed.commission_rate_bp == 2000 and listed.available  # in the pool at the merchant's rate

    # A creator shows it in their showcase; a shopper pays for the 500g box from there; the
    # merchant ships it from the order list.
    host = creator()
    showcase_services.showcase_item_add(owner=host, product_id=listed.pk)
    buyer = shopper()
    click = order_services.click_create(product_id=listed.pk, via=Via(channel="showcase", creator_id=host.pk),
                                        shopper=buyer)
    big = Sku.objects.get(product=item, name="500g")
    order = pay(place(buyer, listed, big, click_id=click.id))
    connections.close_all()
    page.goto(f"{url}/merchant/orders/")
    page.click(f"tr[data-order='{order.number}'] a")
    page.fill("input[name=carrier]", "顺丰速运")
    page.fill("input[name=tracking_number]", "SF5566778899")
    page.click("#ship")
    page.wait_for_selector("text=已发货")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHIPPED

    # Before completion the proceeds are pending; after it they are available to withdraw.
    page.goto(f"{url}/merchant/funds/")
    assert "¥41.60" in page.inner_text("[data-figure=pending]")  # ¥52.00 less the creator's 20 %
    order_services.order_confirm(order=Order.objects.get(pk=order.pk), actor=buyer)
    Order.objects.filter(pk=order.pk).update(received_at=timezone.now() - timedelta(days=60))  # past 售后期
    order_services.orders_complete_due()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.COMPLETED
    page.reload()
    assert "¥41.60" in page.inner_text("[data-figure=available]")
    assert "¥0.00" in page.inner_text("[data-figure=pending]")
    assert page.get_attribute(f"#shop-proceeds tr[data-order='{order.number}']", "data-status") == "available"
    shoot(page, "merchant", "funds")
