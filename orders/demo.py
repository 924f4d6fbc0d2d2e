"""Demo data of the orders room: a shopper (@demo_shopper) with a saved address and orders of
shop products in each stage of the lifecycle, bought from a creator's showcase (attributed),
paid through the sandbox gateway's signed notify, shipped and confirmed by the merchant's and
shopper's own verbs. Idempotent: nothing is added when the shopper already exists."""
from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db.models import Q

from affiliates.models import Product, ProductSource, Sku
from showcase.models import ShowcaseItem
from showcase.tracking import Via

from . import services
from .payments import get_gateway, sign
from .services.lifecycle import NATIVE_SOURCES


def _pay(order) -> None:
    payment = services.payment_start(order=order)
    params = {"notify_id": secrets.token_hex(8), "out_trade_no": payment.number, "trade_no": f"DEMO{payment.pk}",
              "total_fen": str(payment.amount_fen), "trade_status": "SUCCESS", "notify_time": "2026-01-01 00:00:00"}
    params["sign"] = sign(params, get_gateway("sandbox").secret)
    services.payment_notify_handle(gateway_name="sandbox", params=params)


def seed(out) -> None:
    User = get_user_model()
    if User.objects.filter(handle="demo_shopper").exists():
        out.write("Orders: @demo_shopper exists, nothing added.")
        return
    products = list(Product.objects.filter(source__in=NATIVE_SOURCES, available=True, shop_product__isnull=False)
                    .filter(Q(source=ProductSource.SHOP) | Q(promotable=True)).order_by("pk")[:5])
    if not products:
        out.write("Orders: no shop products on sale, nothing to buy.")
        return
    password = secrets.token_urlsafe(9)
    shopper = User.objects.create_user(handle="demo_shopper", nickname="爱逛街的小王", password=password)
    address = services.address_create(user=shopper, recipient="王小明", phone="13912345678",
                                      region="浙江省 杭州市 西湖区", detail="文三路 100 号 2 幢 301")
    made = []
    for i, product in enumerate(products):
        sku = Sku.objects.filter(product_id=product.shop_product_id, is_active=True, stock__gt=0).first()
        if sku is None:
            continue
        item = ShowcaseItem.objects.filter(product=product).select_related("showcase").first()
        via = Via(channel="showcase", creator_id=item.showcase.owner_id) if item else Via(channel="search")
        click = services.click_create(product_id=product.pk, via=via, shopper=shopper)
        order = services.order_place(shopper=shopper, product_id=product.pk, sku_id=sku.pk, quantity=1,
                                     address_id=address.pk, click_id=click.id)
        if i >= 1:
            _pay(order)
        if i >= 2:
            services.order_ship(order=order, actor=order.shop.owner, carrier="顺丰速运",
                                tracking_number=f"SF{secrets.randbelow(10**10):010d}")
        if i >= 3:
            services.order_confirm(order=order, actor=shopper)
        if i == 4:
            services.order_refund_request(order=order, actor=shopper, reason="尺码不合适")
        made.append(order)
    for order in made:  # the services moved them on through fresh rows
        order.refresh_from_db(fields=["status"])
    stages = ", ".join(str(o.get_status_display()) for o in made)
    out.write(f"Orders: @demo_shopper (password, shown once: {password}) has {len(made)} orders ({stages}); "
              "see /orders/ and the shops' /merchant/orders/")
