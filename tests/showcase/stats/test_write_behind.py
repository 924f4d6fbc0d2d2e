"""Page views reach the shared Redis buffer in batches sent by a background thread of the web
process, not by a round trip inside each request; a flush still counts everything recorded
before it, and a failed send loses nothing."""
import os
import time

import pytest

from showcase.stats import buffer as buffer_module
from showcase.stats.buffer import get_buffer, reset_buffer
from showcase.stats.services import event_record, stats_flush
from tests.factories.creators import UserFactory

from .test_recording import _row

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the write-behind sender is the Redis buffer's"),
]


def _in_redis(buffer) -> int:
    """Events in the live hash, read straight from Redis (``live_size`` would send the queue first)."""
    return sum(int(v) for v in buffer.conn.hvals(buffer.live_key))


@pytest.fixture
def buffer(settings):
    def make(seconds):
        settings.STATS_WRITE_BEHIND_SECONDS = seconds
        reset_buffer()
        buf = get_buffer()
        buf.clear()
        return buf

    yield make
    reset_buffer()


def test_a_recorded_view_waits_in_the_process_not_in_the_request(buffer):
    buf = buffer(60)  # a sender that would not wake during this test
    creator = UserFactory()
    for _ in range(5):
        event_record(kind="view", channel="showcase", creator_id=creator.pk, visitor="s1")
        event_record(kind="view", channel="showcase", creator_id=creator.pk)
    assert _in_redis(buf) == 0 and buf.queued() == 10
    assert buf.drain() == 10
    assert _in_redis(buf) == 6  # the visitor's repeats within the window count once


def test_the_sender_thread_delivers_views_without_any_flush(buffer):
    buf = buffer(0.05)
    creator = UserFactory()
    for _ in range(7):
        event_record(kind="view", channel="video", creator_id=creator.pk)
    deadline = time.monotonic() + 5
    while _in_redis(buf) < 7 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _in_redis(buf) == 7 and buf.queued() == 0


def test_a_flush_counts_every_view_recorded_before_it(buffer):
    buffer(60)
    creator = UserFactory()
    for _ in range(12):
        event_record(kind="view", channel="live", creator_id=creator.pk)
    stats_flush()
    assert _row(creator, "live").views == 12


def test_views_stay_queued_when_redis_refuses_a_send_and_go_with_the_next(buffer, monkeypatch):
    buf = buffer(60)
    creator = UserFactory()
    for _ in range(3):
        event_record(kind="click", channel="comment", creator_id=creator.pk)
    real_send = buf._send
    calls = []

    def flaky(events):
        calls.append(len(events))
        if len(calls) == 1:
            raise ConnectionError("redis went away")
        real_send(events)

    monkeypatch.setattr(buf, "_send", flaky)
    with pytest.raises(ConnectionError):
        buf.drain()
    assert buf.queued() == 3
    event_record(kind="click", channel="comment", creator_id=creator.pk)
    stats_flush()
    assert calls == [3, 4]
    assert _row(creator, "comment").clicks == 4


def test_with_write_behind_off_each_view_is_sent_at_once(buffer):
    buf = buffer(0)
    creator = UserFactory()
    event_record(kind="view", channel="search", creator_id=creator.pk)
    assert _in_redis(buf) == 1 and buf.queued() == 0
    assert buffer_module.write_behind_seconds() == 0
