"""The transactional outbox: events live and die with their transaction, each receiver takes
each event exactly once, failures are handed over again by the sweep."""
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.cache_redis import cache_redis
from core.models import OutboxDelivery, OutboxEvent
from core.outbox import outbox_dispatch, outbox_emit, outbox_prune, outbox_receiver, outbox_sweep

from . import outbox_receivers as r

pytestmark = pytest.mark.django_db


def test_an_event_is_handed_to_its_receiver_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            event = outbox_emit(topic=r.TOPIC_PLAIN, key="plain:1", payload={"n": 1})
            assert r.calls("tests.plain", event.pk) == 0
    event.refresh_from_db()
    assert r.calls("tests.plain", event.pk) == 1
    assert event.delivered_at is not None
    assert list(event.deliveries.values_list("receiver", flat=True)) == ["tests.plain"]


def test_an_event_of_a_rolled_back_transaction_never_existed():
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            outbox_emit(topic=r.TOPIC_PLAIN, key="plain:rolled-back", payload={})
            raise RuntimeError
    assert not OutboxEvent.objects.filter(key="plain:rolled-back").exists()


def test_the_same_key_twice_returns_the_first_event_without_a_duplicate(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox_emit(topic=r.TOPIC_PLAIN, key="plain:twice", payload={"n": 1})
        second = outbox_emit(topic=r.TOPIC_PLAIN, key="plain:twice", payload={"n": 2})
    assert second.pk == first.pk and second.payload == {"n": 1}
    assert OutboxEvent.objects.filter(key="plain:twice").count() == 1
    assert r.calls("tests.plain", first.pk) == 1


def test_a_receiver_that_already_took_an_event_is_skipped():
    event = outbox_emit(topic=r.TOPIC_PLAIN, key="plain:again", payload={})
    outbox_dispatch(event_id=event.pk)
    OutboxEvent.objects.filter(pk=event.pk).update(delivered_at=None)
    outbox_dispatch(event_id=event.pk)
    outbox_sweep(older_than_seconds=0)
    assert r.calls("tests.plain", event.pk) == 1
    assert OutboxDelivery.objects.filter(event=event).count() == 1


def test_a_failing_receiver_is_rolled_back_and_delivered_once_by_the_sweep():
    event = outbox_emit(topic=r.TOPIC_FAIL_ONCE, key="fail:1", payload={})
    outbox_dispatch(event_id=event.pk)
    event.refresh_from_db()
    assert event.delivered_at is None
    assert list(event.deliveries.values_list("receiver", flat=True)) == ["tests.fail_once_neighbour"]

    assert outbox_sweep(older_than_seconds=0) == 1
    outbox_sweep(older_than_seconds=0)
    event.refresh_from_db()
    assert event.delivered_at is not None
    assert r.calls("tests.fail_once", event.pk) == 2  # one failure, one success
    assert r.calls("tests.fail_once_neighbour", event.pk) == 1
    assert sorted(event.deliveries.values_list("receiver", flat=True)) == [
        "tests.fail_once", "tests.fail_once_neighbour"]


def test_a_receivers_writes_roll_back_with_its_failure():
    seen = []

    @outbox_receiver("test.outbox.writes", name="tests.writes_then_fails")
    def writes_then_fails(event):
        outbox_emit(topic="test.outbox.side", key=f"side:{event.pk}", payload={})
        seen.append(event.pk)
        raise ValueError("after writing")

    event = outbox_emit(topic="test.outbox.writes", key="writes:1", payload={})
    outbox_dispatch(event_id=event.pk)
    assert seen == [event.pk]
    assert not OutboxEvent.objects.filter(key=f"side:{event.pk}").exists()
    assert not OutboxDelivery.objects.filter(event=event).exists()


def test_an_events_only_receiver_runs_in_the_events_transaction_and_a_failure_waits_for_the_sweep(caplog):
    """An event with one receiver (every order status change) hands it over without a savepoint
    of its own: its failure rolls back the event's transaction whole — no delivery mark, the
    event still waiting, the failure logged — and the sweep hands it over again. (Mutation
    tried: logging the lone receiver's failure and going on, as a savepoint lets the others do,
    commits its half-done write and marks the event delivered, and this test fails.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    failures = []

    @outbox_receiver("test.outbox.lone", name="tests.lone_fails_once")
    def lone(event):
        OutboxEvent.objects.filter(pk=event.pk).update(payload={"touched": True})
        if not failures:
            failures.append(event.pk)
            raise RuntimeError("the first call fails")

    event = outbox_emit(topic="test.outbox.lone", key="lone:1", payload={})
    with CaptureQueriesContext(connection) as q:
        assert outbox_dispatch(event_id=event.pk) == 0
    # (one savepoint: outbox_dispatch's own transaction, nested in the test's)
    assert sum(x["sql"].startswith("SAVEPOINT") for x in q.captured_queries) == 1
    event.refresh_from_db()
    assert event.delivered_at is None and event.payload == {} and not event.deliveries.exists()
    assert "receiver tests.lone_fails_once failed on event" in caplog.text

    assert outbox_sweep(older_than_seconds=0) == 1
    event.refresh_from_db()
    assert event.delivered_at is not None and event.payload == {"touched": True}
    assert list(event.deliveries.values_list("receiver", flat=True)) == ["tests.lone_fails_once"]
    assert outbox_dispatch(event_id=event.pk) == 0  # taken: never again


def test_an_event_with_several_receivers_runs_them_in_its_transaction_and_a_failure_spares_the_others(caplog):
    """A paid order's receivers run in the event's own transaction, without savepoints, their
    delivery rows written by one statement. When one fails after a neighbour wrote, the whole
    transaction rolls back; the neighbour is handed the event again and commits once, and the
    failing receiver waits for the sweep. (Mutation tried: going on after the failure without the
    second hand-over leaves the neighbour's write rolled back and the event waiting for the sweep,
    and this test fails; seen failing, reverted.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    failures, written = [], []

    @outbox_receiver("test.outbox.pair", name="tests.pair_writes")
    def writes(event):
        written.append(event.pk)
        OutboxEvent.objects.filter(pk=event.pk).update(payload={"n": len(written)})

    @outbox_receiver("test.outbox.pair", name="tests.pair_fails_once")
    def fails_once(event):
        if not failures:
            failures.append(event.pk)
            raise RuntimeError("the first call fails")

    ok = outbox_emit(topic="test.outbox.pair", key="pair:ok", payload={})
    failures.append("not this time")  # the first event: both take it
    with CaptureQueriesContext(connection) as q:
        assert outbox_dispatch(event_id=ok.pk) == 2
    assert sum(x["sql"].startswith("SAVEPOINT") for x in q.captured_queries) == 1  # outbox_dispatch's own
    assert sum(x["sql"].startswith("INSERT") for x in q.captured_queries) == 1  # both delivery rows at once

    failures.clear()
    event = outbox_emit(topic="test.outbox.pair", key="pair:1", payload={})
    assert outbox_dispatch(event_id=event.pk) == 1
    event.refresh_from_db()
    assert event.payload == {"n": 3} and event.delivered_at is None  # the second run's write, once
    assert list(event.deliveries.values_list("receiver", flat=True)) == ["tests.pair_writes"]
    assert "receiver tests.pair_fails_once failed on event" in caplog.text
    assert outbox_sweep(older_than_seconds=0) == 1
    event.refresh_from_db()
    assert event.delivered_at is not None and event.payload == {"n": 3}  # the neighbour: not again
    assert sorted(event.deliveries.values_list("receiver", flat=True)) == ["tests.pair_fails_once",
                                                                          "tests.pair_writes"]


def test_the_sweep_leaves_young_events_to_their_own_hand_over(settings):
    settings.OUTBOX_SWEEP_AFTER_SECONDS = 30
    young = outbox_emit(topic=r.TOPIC_PLAIN, key="plain:young", payload={})
    old = outbox_emit(topic=r.TOPIC_PLAIN, key="plain:old", payload={})
    OutboxEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(seconds=31))
    assert outbox_sweep() == 1
    assert r.calls("tests.plain", old.pk) == 1 and r.calls("tests.plain", young.pk) == 0


def test_an_event_nobody_listens_to_counts_as_delivered():
    event = outbox_emit(topic="test.outbox.nobody", key="nobody:1", payload={})
    outbox_dispatch(event_id=event.pk)
    event.refresh_from_db()
    assert event.delivered_at is not None


def test_delivered_events_are_pruned_after_the_keep_days_and_waiting_ones_never(settings):
    settings.OUTBOX_KEEP_DAYS = 7
    old = outbox_emit(topic=r.TOPIC_PLAIN, key="plain:prune-old", payload={})
    fresh = outbox_emit(topic=r.TOPIC_PLAIN, key="plain:prune-fresh", payload={})
    waiting = outbox_emit(topic=r.TOPIC_FAIL_ONCE, key="fail:prune", payload={})
    for event in (old, fresh):
        outbox_dispatch(event_id=event.pk)
    OutboxEvent.objects.filter(pk__in=[old.pk, waiting.pk]).update(created_at=timezone.now() - timedelta(days=9))
    OutboxEvent.objects.filter(pk=old.pk).update(delivered_at=timezone.now() - timedelta(days=8))
    outbox_prune()
    assert list(OutboxEvent.objects.filter(key__startswith="").values_list("key", flat=True).order_by("key")) == [
        "fail:prune", "plain:prune-fresh"]


def test_the_admin_shows_deliveries_and_hands_an_event_over_again(admin_client, django_capture_on_commit_callbacks):
    event = outbox_emit(topic=r.TOPIC_FAIL_ONCE, key="fail:admin", payload={"order_id": 7})
    outbox_dispatch(event_id=event.pk)
    page = admin_client.get(f"/admin/core/outboxevent/{event.pk}/change/")
    assert page.status_code == 200 and "tests.fail_once_neighbour" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin_client.post("/admin/core/outboxevent/", {
            "action": "hand_over_again", "_selected_action": [event.pk]})
    assert answer.status_code == 302
    event.refresh_from_db()
    assert event.delivered_at is not None and event.deliveries.count() == 2


def test_the_events_of_one_transaction_are_handed_over_in_one_batch_and_a_rolled_back_savepoints_never(
        monkeypatch, django_capture_on_commit_callbacks):
    """One broker message per transaction, not per event (a payment notify writes two events).
    (Mutation tried: registering the hand-over per event again makes this see three batches.)"""
    import core.outbox

    batches: list[list[int]] = []
    monkeypatch.setattr(core.outbox, "_hand_over_later", lambda ids: batches.append(list(ids)))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            a = outbox_emit(topic=r.TOPIC_PLAIN, key="batch:a", payload={})
            b = outbox_emit(topic=r.TOPIC_PLAIN, key="batch:b", payload={})
            with pytest.raises(RuntimeError), transaction.atomic():
                outbox_emit(topic=r.TOPIC_PLAIN, key="batch:gone", payload={})
                raise RuntimeError
            c = outbox_emit(topic=r.TOPIC_PLAIN, key="batch:c", payload={})
    assert sorted(sum(batches, [])) == sorted([a.pk, b.pk, c.pk])
    assert [a.pk, b.pk] in batches and len(batches) <= 2
    assert not OutboxEvent.objects.filter(key="batch:gone").exists()


def test_requests_hand_their_events_to_one_queued_drain_which_delivers_each_once(
        monkeypatch, django_capture_on_commit_callbacks):
    """With Redis, a transaction's hand-over is one Redis round trip: its ids join the waiting
    list, and a drain task is queued only when none is queued yet. The drain clears its flag,
    takes the ids in batches and hands each event over once; ids pushed after it started queue
    the next drain. (Mutation tried: queueing a drain on every hand-over makes this see five
    tasks where one is right.)"""
    import core.outbox as outbox
    from core import tasks

    redis = cache_redis()
    if redis is None:
        pytest.skip("the drain needs Redis (REDIS_URL)")
    from celery import current_app

    redis.delete(outbox.PENDING_KEY, outbox.DRAIN_FLAG)
    queued: list[int] = []
    monkeypatch.setattr(tasks.outbox_drain_task, "delay", lambda: queued.append(1))
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    events = []
    for n in range(5):  # five requests, one transaction each
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            events.append(outbox_emit(topic=r.TOPIC_PLAIN, key=f"drain:{n}", payload={"n": n}))
            if n == 4:
                events.append(outbox_emit(topic=r.TOPIC_PLAIN, key="drain:4b", payload={}))
    assert len(queued) == 1 and redis.llen(outbox.PENDING_KEY) == 6
    assert not OutboxDelivery.objects.filter(event__in=events).exists()

    assert outbox.outbox_drain(batch=4) == 6  # the worker's task: two batches, an event at a time
    assert redis.llen(outbox.PENDING_KEY) == 0 and not redis.exists(outbox.DRAIN_FLAG)
    assert [r.calls("tests.plain", e.pk) for e in events] == [1] * 6
    assert OutboxEvent.objects.filter(pk__in=[e.pk for e in events], delivered_at__isnull=True).count() == 0

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        late = outbox_emit(topic=r.TOPIC_PLAIN, key="drain:late", payload={})
    assert len(queued) == 2  # the flag was cleared by the drain: the next hand-over queues one
    assert outbox.outbox_drain() == 1 and r.calls("tests.plain", late.pk) == 1
    assert outbox.outbox_drain() == 0  # an empty list: nothing twice
    assert [r.calls("tests.plain", e.pk) for e in events] == [1] * 6


def test_a_drain_batch_that_fails_goes_back_on_the_list(monkeypatch, django_capture_on_commit_callbacks):
    """A batch whose transaction fails (the database away) is pushed back, not lost; the next
    drain delivers it."""
    import core.outbox as outbox
    from core import tasks

    redis = cache_redis()
    if redis is None:
        pytest.skip("the drain needs Redis (REDIS_URL)")
    from celery import current_app

    redis.delete(outbox.PENDING_KEY, outbox.DRAIN_FLAG)
    monkeypatch.setattr(tasks.outbox_drain_task, "delay", lambda: None)
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = outbox_emit(topic=r.TOPIC_PLAIN, key="drain:fails", payload={})

    def away(**kwargs):
        raise RuntimeError("database away")

    real = outbox.outbox_dispatch
    monkeypatch.setattr(outbox, "outbox_dispatch", away)
    with pytest.raises(RuntimeError):
        outbox.outbox_drain()
    assert [int(x) for x in redis.lrange(outbox.PENDING_KEY, 0, -1)] == [event.pk]
    monkeypatch.setattr(outbox, "outbox_dispatch", real)
    assert outbox.outbox_drain() == 1 and r.calls("tests.plain", event.pk) == 1


# --- the drain's batches: a topic whose receivers all have a batch form -----------------------------

def _batch_receivers(seen: list, fail: list):
    from core.outbox import outbox_receivers_batch

    @outbox_receiver("test.outbox.batch", name="tests.batch_one")
    def one(event):
        seen.append(("one", event.pk))
        OutboxEvent.objects.filter(pk=event.pk).update(payload={"by": "one"})

    @outbox_receivers_batch("test.outbox.batch", name="tests.batch_one")
    def many(events):
        seen.append(("many", [e.pk for e in events]))
        OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(payload={"by": "many"})
        if fail:
            raise RuntimeError("the batch fails")


def test_a_batch_of_events_goes_to_the_batch_form_once_in_a_constant_number_of_statements():
    """The drain hands the events of a topic whose receivers all have a batch form (the order
    status changes' messages) to that form in one transaction: a fixed number of statements
    however many events, each event delivered once, an event already taken by the receiver not
    given to it again, other topics' events left to go one at a time. (Mutation tried: handing the
    batch form every event without writing the delivery rows first gives it again an event the
    receiver had taken; seen failing, reverted.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.outbox import _dispatch_batch

    seen: list = []
    _batch_receivers(seen, [])
    counts = []
    for n in (2, 12):
        events = [outbox_emit(topic="test.outbox.batch", key=f"batch:{n}:{i}", payload={}) for i in range(n)]
        plain = outbox_emit(topic=r.TOPIC_PLAIN, key=f"plain:batch:{n}", payload={})
        ids = [e.pk for e in events] + [plain.pk]
        with CaptureQueriesContext(connection) as q:
            assert _dispatch_batch(ids) == [plain.pk]
        counts.append(len(q))
        assert seen[-1] == ("many", [e.pk for e in events])
        for event in events:
            event.refresh_from_db()
            assert event.payload == {"by": "many"} and event.delivered_at is not None
            assert list(event.deliveries.values_list("receiver", flat=True)) == ["tests.batch_one"]
    assert counts[0] == counts[1], counts
    assert outbox_sweep(older_than_seconds=0) == 2  # the two plain events; none of the batch's
    assert not any(kind == "one" for kind, _ in seen)

    taken = outbox_emit(topic="test.outbox.batch", key="batch:taken", payload={})
    fresh = outbox_emit(topic="test.outbox.batch", key="batch:fresh", payload={})
    OutboxDelivery.objects.create(event=taken, receiver="tests.batch_one")
    assert _dispatch_batch([taken.pk, fresh.pk]) == []
    assert seen[-1] == ("many", [fresh.pk])
    taken.refresh_from_db()
    assert taken.delivered_at is not None and taken.payload == {}


def test_a_failing_batch_writes_nothing_and_leaves_every_event_to_go_alone(caplog):
    from core.outbox import _dispatch_batch

    seen: list = []
    _batch_receivers(seen, ["fail"])
    events = [outbox_emit(topic="test.outbox.batch", key=f"batch:fail:{i}", payload={}) for i in range(3)]
    ids = [e.pk for e in events]
    assert _dispatch_batch(ids) == ids
    assert "a batch of 3 events failed" in caplog.text
    assert not OutboxDelivery.objects.filter(event_id__in=ids).exists()
    assert not OutboxEvent.objects.filter(pk__in=ids, delivered_at__isnull=False).exists()
    for event_id in ids:
        outbox_dispatch(event_id=event_id)
    assert OutboxEvent.objects.filter(pk__in=ids, payload={"by": "one"}, delivered_at__isnull=False).count() == 3
