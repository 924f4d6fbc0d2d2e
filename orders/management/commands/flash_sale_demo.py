"""A flash sale (上链接) against the running site: the demo's live room explains a 小店 product
whose first spec holds ``--stock`` units (its other specs are emptied: the sale is that one spec), and ``--buyers`` signed-in shoppers press buy within about two
seconds over HTTP, as many at once as ``--threads``.

    make run                                  # in one terminal
    .venv/bin/python manage.py flash_sale_demo  # in another; then open the live room it names

It prints the orders placed, the refusals (409 ``out_of_stock``), anything else, the final stock
and the latencies. The orders stay unpaid: at the payment deadline (``ORDER_PAYMENT_TIMEOUT``)
each one closes and its unit comes back to the live room.
"""
from __future__ import annotations

import threading
import time
import uuid

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from affiliates.models import Product, ProductSource, ShopProductStatus, Sku
from affiliates.services.shops import shop_product_catalog_sync
from core.errors import DomainError
from creators.models import User
from orders.models import Address, Order
from showcase import services as showcase_services
from showcase.models import LiveProduct, LiveSession


def _p(samples: list[float], q: float) -> float:
    if not samples:
        return 0.0
    samples = sorted(samples)
    return samples[min(len(samples) - 1, int(len(samples) * q))] * 1000


class Command(BaseCommand):
    help = "Run a flash sale on the demo's live room against the running site (make run)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=getattr(settings, "SITE_BASE_URL", "") or "http://127.0.0.1:8000",
                            help="the running site (default: SITE_BASE_URL or http://127.0.0.1:8000)")
        parser.add_argument("--stock", type=int, default=100, help="units of the spec on sale (default 100)")
        parser.add_argument("--buyers", type=int, default=300, help="shoppers who press buy (default 300)")
        parser.add_argument("--threads", type=int, default=16, help="requests in flight at once (default 16)")

    def handle(self, *args, url, stock, buyers, threads, **options):
        if stock < 1 or buyers < 1 or threads < 1:
            raise CommandError("--stock, --buyers and --threads must be at least 1")
        url = url.rstrip("/")
        try:
            requests.get(f"{url}/healthz", timeout=3)
        except requests.RequestException as exc:
            raise CommandError(f"No site answers at {url} ({exc.__class__.__name__}). Start it with `make run`.")
        session, product, sku = self._stage(stock)
        self.stdout.write(f"Live room: {url}/live/{session.pk}/  (@{session.host.handle} explains "
                          f"“{product.title}”, spec “{sku.name}”: {stock} units)")
        tokens = self._buyers(buyers)
        results = self._burst(url, tokens, product.pk, sku.pk, threads)
        placed, refused, other, elapsed = results
        sku.refresh_from_db()
        orders = Order.objects.filter(sku=sku, created_at__gte=self._started).count()
        self.stdout.write(
            f"{buyers} buyers in {elapsed:.1f} s: {len(placed)} orders, {len(refused)} refused 409 out_of_stock, "
            f"{len(other)} other answers{(' (first: ' + other[0] + ')') if other else ''}.")
        self.stdout.write(f"Orders in the database for this sale: {orders}; stock left: {sku.stock}.")
        self.stdout.write(f"Placing: p50 {_p(placed, .5):.0f} ms, p99 {_p(placed, .99):.0f} ms; "
                          f"refusals: p50 {_p(refused, .5):.0f} ms, p99 {_p(refused, .99):.0f} ms.")
        if orders != min(stock, buyers) or sku.stock != stock - orders or other:
            raise CommandError("The sale was not exact: see the figures above.")
        self.stdout.write(self.style.SUCCESS(
            "Exact: every unit went to one buyer and nobody else got one. The orders are unpaid: at the payment "
            "deadline each closes and its unit comes back to the live room."))

    def _stage(self, stock: int):
        """The demo's live session explains a 小店/精选联盟 product whose first spec holds ``stock``."""
        sessions = LiveSession.objects.filter(status=LiveSession.Status.LIVE).select_related("host").order_by("pk")
        session = sessions.first()
        if session is None:
            raise CommandError("No live session: run `make run` (it seeds the demo) first.")
        host = session.host
        candidates = (Product.objects.filter(source__in=[ProductSource.ALLIANCE, ProductSource.SHOP],
                                             shop_product__status=ShopProductStatus.ON_SALE)
                      .select_related("shop_product").order_by("-source", "pk"))  # alliance first: creators sell it
        for product in candidates:
            try:
                try:
                    showcase_services.showcase_item_add(owner=host, product_id=product.pk)
                except DomainError as exc:
                    if getattr(exc, "code", "") != "duplicate":
                        raise
                if not LiveProduct.objects.filter(session=session, product=product).exists():
                    showcase_services.live_product_add(host=host, session_id=session.pk, product_id=product.pk)
                showcase_services.live_explaining_set(host=host, session_id=session.pk, product_id=product.pk)
            except DomainError:
                continue
            sku = Sku.objects.filter(product=product.shop_product, is_active=True).order_by("position", "pk").first()
            if sku is None:
                continue
            with transaction.atomic():
                sku.stock = stock
                sku.save(update_fields=["stock"])  # clears its sold-out flag and counter after commit
                for other in Sku.objects.filter(product=product.shop_product, is_active=True).exclude(pk=sku.pk):
                    other.stock = 0  # the sale is this one spec: when it is gone, the room reads 已抢光
                    other.save(update_fields=["stock"])
                shop_product_catalog_sync(shop_product=product.shop_product)
            self._started = timezone.now()
            return session, product, sku
        raise CommandError("No Douyin Shop product the live room can explain: run `make run` first.")

    def _buyers(self, n: int) -> list[tuple[str, int]]:
        from rest_framework.authtoken.models import Token

        run = uuid.uuid4().hex[:6]
        User.objects.bulk_create([User(handle=f"flash_{run}_{i}", nickname=f"抢购{i}") for i in range(n)])
        users = list(User.objects.filter(handle__startswith=f"flash_{run}_").order_by("pk"))
        Address.objects.bulk_create([Address(user=u, recipient="抢购用户", phone="13900000000", region="北京市 朝阳区",
                                             detail="演示路 1 号", is_default=True) for u in users])
        Token.objects.bulk_create([Token(user=u, key=Token.generate_key()) for u in users])
        addresses = dict(Address.objects.filter(user__in=users).values_list("user_id", "pk"))
        keys = dict(Token.objects.filter(user__in=users).values_list("user_id", "key"))
        return [(keys[u.pk], addresses[u.pk]) for u in users]

    def _burst(self, url, tokens, product_id, sku_id, threads):
        placed, refused, other = [], [], []
        lock = threading.Lock()
        queue = list(range(len(tokens)))

        def worker():
            http = requests.Session()
            while True:
                with lock:
                    if not queue:
                        return
                    i = queue.pop()
                token, address = tokens[i]
                t0 = time.perf_counter()
                try:
                    r = http.post(f"{url}/api/v1/orders/", json={"product": product_id, "sku": sku_id, "quantity": 1,
                                                                   "address": address},
                                  headers={"Authorization": f"Token {token}", "Idempotency-Key": uuid.uuid4().hex},
                                  timeout=30)
                    code = r.status_code
                    error = r.json().get("error", {}).get("code") if code >= 400 else ""
                except (requests.RequestException, ValueError) as exc:
                    code, error = 0, exc.__class__.__name__
                took = time.perf_counter() - t0
                with lock:
                    if code == 201:
                        placed.append(took)
                    elif code == 409 and error == "out_of_stock":
                        refused.append(took)
                    else:
                        other.append(f"{code} {error}")

        started = time.monotonic()
        ts = [threading.Thread(target=worker) for _ in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return placed, refused, other, time.monotonic() - started
