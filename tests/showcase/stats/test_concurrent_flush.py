"""Flushes racing each other on PostgreSQL and Redis, while shoppers keep recording: every
event is counted exactly once."""
import os
import threading
import time

import pytest
from django.db import connection, connections

from showcase.stats.buffer import get_buffer
from showcase.stats.models import DailyStat
from showcase.stats.services import event_record, stats_flush
from tests.factories.creators import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the shared buffer needs Redis")
def test_concurrent_flushes_count_every_event_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for concurrent writers")
    creator = UserFactory()
    recorders, flushers, per_recorder = 4, 3, 500
    errors = []
    start = threading.Barrier(recorders + flushers)

    def record():
        try:
            start.wait()
            for i in range(per_recorder):
                event_record(kind="click" if i % 5 == 0 else "view", channel="video", creator_id=creator.pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def flush():
        try:
            start.wait()
            for _ in range(15):
                stats_flush()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record) for _ in range(recorders)]
    threads += [threading.Thread(target=flush) for _ in range(flushers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    stats_flush()
    row = DailyStat.objects.get(creator=creator, channel="video", product=None)
    assert row.views + row.clicks == recorders * per_recorder
    assert row.clicks == recorders * per_recorder // 5


def test_a_real_worker_flushes_what_the_web_process_buffered(celery_worker_process):
    from showcase.stats.tasks import stats_flush_task

    celery_worker_process()
    creator = UserFactory()
    for _ in range(50):
        event_record(kind="view", channel="showcase", creator_id=creator.pk)
    buffer = get_buffer()
    deadline = time.monotonic() + 10  # this process's sender thread delivers them, no flush here
    while buffer.name == "redis" and not buffer.conn.hlen(buffer.live_key) and time.monotonic() < deadline:
        time.sleep(0.05)
    result = stats_flush_task.delay().get(timeout=60)
    assert result["events"] == 50
    assert DailyStat.objects.get(creator=creator, channel="showcase").views == 50
