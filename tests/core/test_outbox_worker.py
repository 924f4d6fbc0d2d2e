"""The outbox with a real Celery worker: a worker SIGKILLed while handing an event over loses
nothing (the sweep delivers it), and a receiver that fails once is delivered exactly once later.

The killed worker's message stays unacked in Redis until the broker's visibility timeout (an
hour): only the sweep can deliver the event in time, which is what is proved here."""
import signal

import pytest
from django.db import connection, transaction

from core.models import OutboxDelivery, OutboxEvent
from core.outbox import outbox_emit, outbox_sweep
from tests.worker_faults import kill_hard, wait_for

from . import outbox_receivers as r

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 60
WORKER_ENV = {"OUTBOX_RECEIVER_MODULES": "tests.core.outbox_receivers"}


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs the shared PostgreSQL test database")


def test_a_worker_killed_while_handing_over_loses_nothing_and_the_sweep_delivers_once(
        postgres_only, celery_worker_process):
    first = celery_worker_process(extra_env=WORKER_ENV)
    with transaction.atomic():
        event = outbox_emit(topic=r.TOPIC_SLOW_ONCE, key="slow:kill", payload={"n": 1})
    wait_for(lambda: r.calls("tests.slow_once", event.pk) == 1, "the worker to start handing over", WAIT_SECONDS)
    kill_hard(first)
    assert first.returncode == -signal.SIGKILL
    event.refresh_from_db()
    assert event.delivered_at is None and not OutboxDelivery.objects.filter(event=event).exists()

    celery_worker_process(extra_env=WORKER_ENV)
    from core.tasks import outbox_sweep_task

    outbox_sweep_task.delay(older_than_seconds=0)
    wait_for(lambda: OutboxEvent.objects.get(pk=event.pk).delivered_at is not None, "the sweep to deliver", WAIT_SECONDS)
    assert list(OutboxDelivery.objects.filter(event=event).values_list("receiver", flat=True)) == ["tests.slow_once"]
    assert r.calls("tests.slow_once", event.pk) == 2


def test_a_receiver_that_fails_once_on_the_worker_is_delivered_exactly_once_later(
        postgres_only, celery_worker_process):
    celery_worker_process(extra_env=WORKER_ENV)
    with transaction.atomic():
        event = outbox_emit(topic=r.TOPIC_FAIL_ONCE, key="fail:worker", payload={})
    wait_for(lambda: OutboxDelivery.objects.filter(event=event).exists(), "the first hand-over", WAIT_SECONDS)
    event.refresh_from_db()
    assert event.delivered_at is None and r.calls("tests.fail_once", event.pk) == 1

    from core.tasks import outbox_sweep_task

    outbox_sweep_task.delay(older_than_seconds=0)
    wait_for(lambda: OutboxEvent.objects.get(pk=event.pk).delivered_at is not None, "the sweep to deliver", WAIT_SECONDS)
    outbox_sweep(older_than_seconds=0)  # once more, here: nothing is handed over twice
    assert r.calls("tests.fail_once", event.pk) == 2
    assert r.calls("tests.fail_once_neighbour", event.pk) == 1
    assert OutboxDelivery.objects.filter(event=event).count() == 2
