"""PostgreSQL out of reach for seconds under load (issue 13, item 4).

Buyers keep placing, paying and being notified through the whole HTTP stack (Django's test
client in threads, each on its own database connection) while the database goes away for three
seconds: every open connection drops mid-statement or mid-transaction and new ones are refused,
as when PostgreSQL stops. The outage is a TCP gate in front of the test database, so the test's
own connection (and the rest of the suite) keeps the real server; PostgreSQL sees exactly what a
stop does to a client — its connection gone, its transaction rolled back.

During the outage requests answer 503 with ``Retry-After``, never 500; clients retry with the
same ``Idempotency-Key`` and the gateway re-sends its notify, as real ones do. After it: no
order lost or doubled, every one paid once, stock and sales counts exact, every outbox event
applied once, and the ledger balances. (Mutation tried: removing
``core.error_pages.DatabaseUnavailableMiddleware`` turns the outage's answers into 500s and the
test fails.)"""
import socket
import threading
import time
import uuid

import pytest
from django.db import close_old_connections, connection, connections
from django.test import Client

from affiliates.models import Product, Sku
from commissions.ledger import ledger_check
from core.models import OutboxDelivery, OutboxEvent
from core.outbox import outbox_sweep
from notices.models import InboxMessage
from orders import conf
from orders.models import Order, OrderStatus
from orders.payments import sign
from tests.openapi_conformance import schema_check
from tests.orders.helpers import address_of, shop_product, shopper

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BUYERS = 6
STOCK = 10_000
LOAD_SECONDS = 7.0
CUT_AT, CUT_FOR = 2.0, 3.0
GIVE_UP_SECONDS = 60


class DatabaseGate:
    """A TCP relay to PostgreSQL that can be cut: ``cut()`` drops every connection and refuses
    new ones (PostgreSQL stopped), ``restore()`` lets them through again (it is back)."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.up = threading.Event()
        self.up.set()
        self.links, self.lock = [], threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.links.append((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        self.up.clear()
        with self.lock:
            links, self.links = self.links, []
        for pair in links:
            for s in pair:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def restore(self):
        self.up.set()

    def close(self):
        self.listener.close()
        self.cut()


def _retry(call, done, answers, what):
    """Send ``call()`` until ``done(response)``, as a client or the gateway retries; every
    answer's status is recorded."""
    deadline = time.monotonic() + GIVE_UP_SECONDS
    while time.monotonic() < deadline:
        response = call()
        answers.append(response.status_code)
        if done(response):
            return response
        if response.status_code == 503:
            assert response.has_header("Retry-After")
            # What a server's request_finished does and Django's test client switches off: drop the
            # broken connection so the next request connects afresh.
            close_old_connections()
        time.sleep(0.2)
    raise AssertionError(f"{what}: never succeeded; last answer {response.status_code} "
                         f"{response.get('Location', '')} {response.content[:300]!r}")


def test_postgres_gone_for_seconds_under_load_loses_nothing_and_doubles_nothing():
    if connection.vendor != "postgresql":
        pytest.skip("the outage is PostgreSQL's")
    db = connection.settings_dict
    gate = DatabaseGate(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    product, (sku,) = shop_product(stock=STOCK, price_fen=1990)
    buyers = [shopper() for _ in range(BUYERS)]
    addresses = [address_of(b).pk for b in buyers]
    secret = conf.get("PAYMENT_SANDBOX_SECRET")
    answers, placed, crashed = [], [], []
    stop = threading.Event()

    def buyer(i):
        # This thread's connection goes through the gate.
        connections["default"].settings_dict = {**db, "HOST": "127.0.0.1", "PORT": gate.port}
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(buyers[i])
        try:
            while not stop.is_set():
                key = uuid.uuid4().hex
                body = {"product": product.pk, "sku": sku.pk, "quantity": 1, "address": addresses[i]}
                r = _retry(lambda key=key, body=body: client.post(
                    "/api/v1/orders/", body, content_type="application/json", headers={"Idempotency-Key": key}),
                    lambda r: r.status_code in (200, 201), answers, "place")
                number, total_fen = r.json()["number"], r.json()["total_fen"]
                placed.append(number)
                r = _retry(lambda number=number: client.post(f"/orders/{number}/", {"action": "pay"}),
                           lambda r: r.status_code == 302 and "/pay/sandbox/" in r["Location"], answers, "pay")
                payment_number = r["Location"].rstrip("/").rsplit("/", 1)[1]
                params = {"notify_id": f"n-{payment_number}", "out_trade_no": payment_number,
                          "trade_no": f"T{payment_number}", "total_fen": str(total_fen),
                          "trade_status": "SUCCESS", "notify_time": "2026-01-01 00:00:00"}
                params["sign"] = sign(params, secret)
                _retry(lambda params=params: client.post("/pay/notify/sandbox/", params), lambda r: r.content == b"success",
                       answers, "notify")
        except Exception as exc:  # noqa: BLE001 - the test must see it
            crashed.append(exc)
        finally:
            connections.close_all()

    schema_check()  # the suite's schema check of every answer, built once before the threads share it
    threads = [threading.Thread(target=buyer, args=(i,)) for i in range(BUYERS)]
    try:
        for t in threads:
            t.start()
        time.sleep(CUT_AT)
        gate.cut()  # PostgreSQL stops: connections drop, new ones are refused
        time.sleep(CUT_FOR)
        gate.restore()
        time.sleep(LOAD_SECONDS - CUT_AT - CUT_FOR)
        stop.set()
        for t in threads:
            t.join(GIVE_UP_SECONDS + 30)
    finally:
        stop.set()
        gate.close()

    assert not crashed, crashed
    assert 503 in answers, "the outage was never seen"
    assert 500 not in answers
    assert len(placed) == len(set(placed)) == Order.objects.count() > BUYERS
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.PAID}
    assert Sku.objects.get(pk=sku.pk).stock == STOCK - len(placed)
    for _ in range(10):  # the sweep (beat, every minute) hands over what the outage interrupted
        if not outbox_sweep(older_than_seconds=0):
            break
    assert not OutboxEvent.objects.filter(delivered_at__isnull=True).exists()
    taken = list(OutboxDelivery.objects.values_list("event_id", "receiver"))
    assert len(taken) == len(set(taken))
    assert Product.objects.get(pk=product.pk).sales_volume == len(placed)
    kinds = list(InboxMessage.objects.filter(kind__in=["order.paid", "order.pending_payment"])
                 .values_list("kind", flat=True))
    assert kinds.count("order.paid") == kinds.count("order.pending_payment") == len(placed)
    check = ledger_check(record=False)
    assert check.ok, check.problems
