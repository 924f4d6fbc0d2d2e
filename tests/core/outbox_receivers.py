"""Outbox receivers used by tests/core/test_outbox*.py (a worker started by a test loads them
through ``OUTBOX_RECEIVER_MODULES``). Calls are counted in the cache so both processes see them."""
import time

from django.core.cache import cache

from core.outbox import outbox_receiver

TOPIC_PLAIN = "test.outbox.plain"
TOPIC_FAIL_ONCE = "test.outbox.fail_once"
TOPIC_SLOW_ONCE = "test.outbox.slow_once"


def calls(receiver: str, event_id: int) -> int:
    return cache.get(f"outbox-test:{receiver}:{event_id}", 0)


def _count(receiver: str, event_id: int) -> int:
    key = f"outbox-test:{receiver}:{event_id}"
    cache.add(key, 0, timeout=600)
    return cache.incr(key)


@outbox_receiver(TOPIC_PLAIN, name="tests.plain")
def plain(event):
    _count("tests.plain", event.pk)


@outbox_receiver(TOPIC_FAIL_ONCE, name="tests.fail_once")
def fail_once(event):
    if _count("tests.fail_once", event.pk) == 1:
        raise RuntimeError("the first call fails")


@outbox_receiver(TOPIC_FAIL_ONCE, name="tests.fail_once_neighbour")
def fail_once_neighbour(event):
    _count("tests.fail_once_neighbour", event.pk)


@outbox_receiver(TOPIC_SLOW_ONCE, name="tests.slow_once")
def slow_once(event):
    if _count("tests.slow_once", event.pk) == 1:
        time.sleep(120)  # the test kills the worker here
