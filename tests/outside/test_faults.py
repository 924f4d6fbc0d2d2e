"""Faults with the real services (issue 13, item 4): a real Celery worker on the PostgreSQL test
database and the Redis broker, SIGKILLed in the middle of its work. After recovery (a new worker,
the outbox sweep as beat runs it, the settlement run again) nothing is lost, nothing is applied
twice, and the ledger check passes.

Kept elsewhere: a private Redis killed in the middle of a flash-sale burst
(``tests/orders/test_stock_gate.py``) and a worker killed while handing one event over
(``tests/core/test_outbox_worker.py``)."""
import signal
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from commissions.ledger import ledger_check
from commissions.models import CommissionLine, LedgerAccount, LedgerEntry
from core.models import OutboxDelivery, OutboxEvent
from notices.models import InboxMessage
from tests.commissions.helpers import creator, sale
from tests.worker_faults import kill_hard, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 90


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs the shared PostgreSQL test database")


def _sweep_until_all_delivered():
    from core.tasks import outbox_sweep_task

    def done():
        if OutboxEvent.objects.filter(delivered_at__isnull=True).exists():
            outbox_sweep_task.delay(older_than_seconds=0)  # as beat does every minute
            time.sleep(1)
            return False
        return True

    wait_for(done, "the sweep to deliver every event", WAIT_SECONDS)


def _each_paid_order_applied_once(orders) -> None:
    """Every paid order has one commission line, its two 购物助手 messages and one sale counted;
    no receiver took an event twice, none is left undelivered, and the ledger balances."""
    for order in orders:
        assert CommissionLine.objects.filter(order_ref=f"native:{order.pk}").count() == 1
        kinds = sorted(InboxMessage.objects.filter(recipient=order.shopper).values_list("kind", flat=True))
        assert kinds == ["order.paid", "order.pending_payment"], (order.number, kinds)
        assert order.product.__class__.objects.get(pk=order.product_id).sales_volume == 1
    taken = list(OutboxDelivery.objects.values_list("event_id", "receiver"))
    assert len(taken) == len(set(taken))  # each receiver took each event once
    assert not OutboxEvent.objects.filter(delivered_at__isnull=True).exists()
    check = ledger_check(record=False)
    assert check.ok, check.problems


def test_a_worker_killed_while_applying_paid_orders_loses_nothing_and_applies_nothing_twice(
        postgres_only, celery_worker_process):
    """Payments keep arriving while the worker that applies their events (commission lines, the
    shopper's messages, sales counts) is killed with SIGKILL; a new worker and the sweep finish the
    work. (Mutation tried: ``core.outbox._deliver_one`` not writing its ``OutboxDelivery`` row, so
    no receiver is ever recorded as having taken an event: this test fails. Since the row is
    written by ``_mark_taken``'s ``INSERT … ON CONFLICT``, the same mutation is that insert doing
    nothing and reporting success.)"""
    first = celery_worker_process(concurrency=2)
    host = creator()
    orders = [sale(host, price_fen=1000)]
    wait_for(OutboxDelivery.objects.exists, "the worker to start taking events", WAIT_SECONDS)  # (it boots slowly under load)
    for n in range(1, 24):
        orders.append(sale(host, price_fen=1000 + n))
        if n == 6:
            kill_hard(first)  # in the middle: some events taken, more on their way
    assert first.returncode == -signal.SIGKILL
    assert OutboxEvent.objects.filter(delivered_at__isnull=True).exists()  # work was left for recovery

    celery_worker_process(concurrency=2)
    _sweep_until_all_delivered()

    _each_paid_order_applied_once(orders)


def _backend_waits_on_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


def _other_backends() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND state <> 'idle'")
        return cursor.fetchone()[0]


def test_a_worker_killed_in_the_middle_of_settlement_leaves_nothing_half_settled(
        postgres_only, celery_worker_process):
    """The worker is killed while its settlement transaction has already marked the lines settled
    and waits to post their entries (the test holds the creator's balance row): its transaction
    dies with it, every line is still estimated, and the next run settles each line exactly once.
    (Mutation tried: ``COMMIT; BEGIN`` right after the line UPDATE in ``settle_due``, so the lines
    commit before their entries: the killed run leaves lines settled with no entries, and this
    fails.)"""
    celery_worker_process(concurrency=2)
    host = creator()
    orders = [sale(host, price_fen=2000 + n) for n in range(12)]
    wait_for(lambda: CommissionLine.objects.filter(creator=host).count() == len(orders), "the lines", WAIT_SECONDS)
    past = timezone.now() - timedelta(days=1)
    CommissionLine.objects.filter(creator=host).update(completed_at=past, settle_after=past)  # held long enough
    _sweep_until_all_delivered()
    for proc in list(celery_worker_process.procs):
        kill_hard(proc)

    worker = celery_worker_process(concurrency=1)
    from commissions.tasks import settle_due_task

    entries_before = LedgerEntry.objects.count()
    hold = threading.Event()
    released = threading.Event()

    def hold_the_balance_row():
        try:
            with transaction.atomic():
                list(LedgerAccount.objects.select_for_update().filter(owner_id=host.pk))
                hold.set()
                released.wait(WAIT_SECONDS)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_balance_row)
    holder.start()
    try:
        assert hold.wait(10)
        settle_due_task.delay()
        wait_for(_backend_waits_on_a_lock, "the settlement to wait on the balance row", WAIT_SECONDS)
        kill_hard(worker)
    finally:
        released.set()
        holder.join(30)
    wait_for(lambda: _other_backends() == 0, "the killed worker's transaction to end", WAIT_SECONDS)
    assert not CommissionLine.objects.filter(creator=host, status="settled").exists()
    assert LedgerEntry.objects.count() == entries_before

    celery_worker_process(concurrency=1)
    settle_due_task.delay()
    wait_for(lambda: not CommissionLine.objects.filter(creator=host, status="estimated").exists(), "settlement", WAIT_SECONDS)
    lines = list(CommissionLine.objects.filter(creator=host))
    assert len(lines) == len(orders) and all(line.settlement_id for line in lines)
    settlement = LedgerEntry.objects.filter(line__in=lines, transaction__kind="settlement")
    assert settlement.count() == 2 * len(lines)  # each line once: pending -, available +
    check = ledger_check(record=False)
    assert check.ok, check.problems


# --- Redis (the broker) restarted with tasks queued ----------------------------------------------
@pytest.fixture
def private_broker(tmp_path):
    """A private redis-server (no persistence) as this process's Celery broker: ``restart()``
    kills it with SIGKILL and starts it empty, as a Redis without persistence comes back."""
    from celery import current_app

    from tests.worker_faults import free_port, redis_server

    port = free_port()
    box = {"server": redis_server(port, tmp_path), "url": f"redis://127.0.0.1:{port}/0", "port": port}

    def reconnect(url):
        current_app.conf.broker_url = url
        current_app._pool = None  # (what Celery does after a fork: new connections, to the new URL)
        current_app.amqp._producer_pool = None

    def stop():
        box["server"].kill()
        box["server"].wait()

    def start():
        box["server"] = redis_server(port, tmp_path)

    box.update(stop=stop, start=start)
    old = current_app.conf.broker_url
    reconnect(box["url"])
    try:
        yield box
    finally:
        stop()
        reconnect(old)


def test_a_redis_restart_with_tasks_queued_loses_no_paid_orders_work(postgres_only, celery_worker_process,
                                                                    private_broker):
    """Paid orders' events are handed to the broker while no worker runs; Redis is killed (the
    queue is gone), more orders are paid while it is down (their hand-over fails, the payment does
    not), Redis comes back empty and a worker starts: the outbox sweep hands every event over
    again and each is applied exactly once. (Mutation tried: ``core.outbox.outbox_sweep`` returning
    0 without dispatching: the queued work never arrives and this test fails.)"""
    import redis

    host = creator()
    queued = [sale(host, price_fen=1000 + n) for n in range(6)]  # no worker yet: the tasks wait in Redis
    broker = redis.Redis(port=private_broker["port"])
    assert broker.llen("celery") >= 1
    private_broker["stop"]()  # kill -9: the queued tasks are gone with it
    while_down = [sale(host, price_fen=2000 + n) for n in range(3)]  # paid regardless; hand-over fails
    private_broker["start"]()
    assert redis.Redis(port=private_broker["port"]).llen("celery") == 0
    assert OutboxEvent.objects.filter(delivered_at__isnull=True).count() >= 2 * len(queued + while_down)

    celery_worker_process(concurrency=2, extra_env={"REDIS_URL": private_broker["url"]})
    _sweep_until_all_delivered()
    _each_paid_order_applied_once(queued + while_down)
