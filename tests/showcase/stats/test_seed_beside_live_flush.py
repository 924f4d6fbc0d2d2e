"""seed_demo beside a live stack: flushes never deadlock against the seeding or each other, every
event is counted once, and seeding twice (or a seeding rolled back) never counts the demo twice."""
import io
import os
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from showcase.stats.buffer import get_buffer
from showcase.stats.models import DailyStat, FlushBatch
from showcase.stats.services import event_record, sale_record, stats_batch_apply, stats_flush, stats_flush_lock
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import UserFactory

from .helpers import creator_with_rights

needs_postgres_and_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the shared buffer needs Redis")


def _views(creator) -> int:
    return sum(DailyStat.objects.filter(creator=creator).values_list("views", flat=True))


def _in_thread(target):
    box = {}

    def run():
        try:
            box["result"] = target()
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            box["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


@needs_postgres_and_redis
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_flushes_count_each_event_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for concurrent writers")
    creator = UserFactory()
    for _ in range(300):
        event_record(kind="view", channel="video", creator_id=creator.pk)
    start = threading.Barrier(2)

    def flush():
        start.wait()
        return stats_flush()

    runs = [_in_thread(flush) for _ in range(2)]
    for thread, _box in runs:
        thread.join()
    assert [box.get("error") for _t, box in runs] == [None, None]
    stats_flush()
    assert _views(creator) == 300
    assert get_buffer().pending() == []


@needs_postgres_and_redis
@pytest.mark.django_db(transaction=True)
def test_a_flush_beside_a_seeding_transaction_skips_instead_of_deadlocking():
    """The seeding holds DailyStat rows and the flush lock in its transaction (as seed_demo does);
    the scheduled flush neither waits on it nor takes rows it needs, and counts the live events
    once the seeding has committed."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for concurrent writers")
    creator = UserFactory()
    product = ProductFactory()
    for _ in range(20):
        event_record(kind="view", channel="video", creator_id=creator.pk)
    with transaction.atomic():
        stats_flush_lock()
        sale_record(creator_id=creator.pk, channel="video", product_id=None, order_ref="seed-1", quantity=1,
                    gmv_fen=100, commission_fen=10, paid_at=timezone.now())
        today = f"{timezone.localdate():%Y%m%d}"
        stats_batch_apply(batch_id="seed-test", counts={
            f"{today}|{creator.pk}|video||view": 5, f"{today}|{creator.pk}|video|{product.pk}|view": 1,
        })
        thread, box = _in_thread(stats_flush)
        thread.join()
        assert "error" not in box
        assert box["result"].skipped
    assert get_buffer().pending()  # left for the next flush, not lost
    stats_flush()
    assert _views(creator) == 20 + 5 + 1


@pytest.mark.django_db
def test_a_batch_applied_twice_is_counted_once():
    creator = UserFactory()
    field = f"20261201|{creator.pk}|showcase||view"
    assert stats_batch_apply(batch_id="import-1", counts={field: 7}) == (1, 7)
    assert stats_batch_apply(batch_id="import-1", counts={field: 7}) == (0, 0)
    assert _views(creator) == 7
    assert FlushBatch.objects.filter(batch_id="import-1").count() == 1


def _seed_small_demo(monkeypatch):
    from showcase.stats import demo

    monkeypatch.setattr(demo, "DAYS", 4)
    monkeypatch.setattr(demo, "PROMO_DAYS", range(1, 2))
    return demo


@pytest.mark.django_db
def test_seeding_the_demo_twice_counts_its_stats_once(monkeypatch):
    demo = _seed_small_demo(monkeypatch)
    creator = creator_with_rights()
    ProductFactory.create_batch(3, price_fen=4900, commission_rate_bp=2000)
    demo.seed(io.StringIO())
    first = _views(creator)
    assert first > 0
    demo.seed(io.StringIO())
    stats_flush()
    assert _views(creator) == first


@pytest.mark.django_db
def test_a_rolled_back_demo_seeding_leaves_nothing_for_the_next_flush(monkeypatch):
    demo = _seed_small_demo(monkeypatch)
    creator = creator_with_rights()
    ProductFactory.create_batch(3, price_fen=4900, commission_rate_bp=2000)

    class Stop(Exception):
        pass

    with pytest.raises(Stop), transaction.atomic():  # seed_demo runs each app's seed in one transaction
        demo.seed(io.StringIO())
        raise Stop
    assert get_buffer().live_size() == 0
    stats_flush()
    assert _views(creator) == 0
    demo.seed(io.StringIO())
    once = _views(creator)
    demo.seed(io.StringIO())
    stats_flush()
    assert _views(creator) == once > 0
