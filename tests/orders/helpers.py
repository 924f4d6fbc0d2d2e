"""Building blocks for the orders tests: an on-sale shop product with its pool mirror, a shopper
with a saved address, placing and paying through the real services."""
from __future__ import annotations

from affiliates.models import Product, ProductSource, ShopProductStatus
from affiliates.services.shops import shop_product_catalog_sync
from orders import conf, services
from orders.models import Order
from orders.payments import sign
from tests.factories.affiliates import ShopFactory, ShopProductFactory, SkuFactory
from tests.factories.creators import UserFactory

SECRET = conf.get("PAYMENT_SANDBOX_SECRET")


def shop_product(*, stock: int = 10, price_fen: int = 2990, alliance_rate_bp: int | None = None, skus: int = 1,
                 shop=None):
    """(native Product, [Sku...]) — on sale, mirrored into the pool (alliance row when listed)."""
    sp = ShopProductFactory(status=ShopProductStatus.ON_SALE, shop=shop or ShopFactory(),
                            alliance_rate_bp=alliance_rate_bp)
    made = [SkuFactory(product=sp, stock=stock, price_fen=price_fen + i * 100) for i in range(skus)]
    shop_product_catalog_sync(shop_product=sp)
    source = ProductSource.ALLIANCE if alliance_rate_bp else ProductSource.SHOP
    return Product.objects.get(source=source, external_id=sp.public_id), made


def shopper(**kwargs):
    user = UserFactory(**kwargs)
    services.address_create(user=user, recipient="李四", phone="13900139000", region="浙江省 杭州市 西湖区",
                            detail="文三路 100 号")
    return user


def address_of(user):
    return user.addresses.get(is_default=True)


def place(user, product, sku, quantity: int = 1, **kwargs) -> Order:
    return services.order_place(shopper=user, product_id=product.pk, sku_id=sku.pk, quantity=quantity,
                                address_id=address_of(user).pk, **kwargs)


def notify_params(payment, *, paid: bool = True, amount_fen: int | None = None, notify_id: str = "n1",
                  secret: str = SECRET, trade_no: str | None = None) -> dict:
    params = {"notify_id": notify_id, "out_trade_no": payment.number, "trade_no": trade_no or f"T{payment.pk}",
              "total_fen": str(payment.amount_fen if amount_fen is None else amount_fen),
              "trade_status": "SUCCESS" if paid else "CLOSED", "notify_time": "2026-11-27 10:00:00"}
    params["sign"] = sign(params, secret)
    return params


def pay(order: Order) -> Order:
    payment = services.payment_start(order=order)
    ok, outcome = services.payment_notify_handle(gateway_name="sandbox", params=notify_params(payment))
    assert ok, outcome
    order.refresh_from_db()
    return order


def login(client, user):
    client.force_login(user)
    return client
