"""The transactional outbox: events written with the change they announce, handed to receivers
after commit, and handed again by a sweep until every receiver has taken them.

Emit INSIDE the transaction that makes the change::

    from core.outbox import outbox_emit

    with transaction.atomic():
        order = _move(order, OrderAction.PAY)
        outbox_emit(topic="order.paid", key=f"order.paid:{order.pk}", payload={"order_id": order.pk, ...})

Receive in an app's ``AppConfig.ready()`` (import the module that holds the receivers)::

    from core.outbox import outbox_receiver

    @outbox_receiver("order.paid", name="stats.sale_record")
    def on_order_paid(event):          # event: core.models.OutboxEvent
        sale_record(order_id=event.payload["order_id"], ...)

Guarantees:

- The same ``key`` twice returns the existing event: nothing is duplicated, nothing raises.
- After commit the transaction's event ids are handed to the worker. With Redis (production)
  the request appends them to one Redis list and queues ``core.outbox_drain`` only when no drain
  is queued yet (a ``SET NX`` flag the drain clears as it starts): one cheap Redis round trip per
  request instead of a broker message; the worker pops them in batches, an event per
  transaction. Without Redis ``core.outbox_dispatch_many(event_ids)`` is queued; with eager
  Celery they are handed over in the request. Ids lost on the way (Redis restarted, a worker
  killed after popping them, a drain that failed with the database away) are the sweep's.
  Each receiver's writes
  commit together with the insert of its ``OutboxDelivery`` row, its "taken" mark. The worker
  runs an event's receivers in the event's own transaction first (no savepoints: the usual case,
  nothing fails); when one raises, that transaction rolls back whole and the event is handed over
  again with each receiver in a savepoint of its own, so the others commit and the failing one is
  rolled back, logged, and
  handed the event again by the sweep; a receiver that already has its row is skipped, so each
  receiver sees each event exactly once (idempotent by event id).
- ``core.outbox_sweep`` (every 60 s, ``core/schedules.py``) hands over every event still
  undelivered after ``OUTBOX_SWEEP_AFTER_SECONDS``; on PostgreSQL the event row is locked with
  ``SKIP LOCKED`` so concurrent sweeps and dispatches never block each other or overlap.
- Delivered events are pruned after ``OUTBOX_KEEP_DAYS`` (``core.outbox_prune``, daily).
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .cache_redis import cache_redis
from .insert import insert_once, update_row
from .models import OutboxDelivery, OutboxEvent
from .prepared import Prepared

logger = logging.getLogger("core.outbox")

Receiver = Callable[[OutboxEvent], None]
_RECEIVERS: dict[str, dict[str, Receiver]] = {}

SWEEP_BATCH = 500


def _setting(name: str, default):
    return getattr(settings, name, default)


def outbox_receiver(topic: str, name: str) -> Callable[[Receiver], Receiver]:
    """Register ``func(event) -> None`` for ``topic`` under a stable ``name`` (the name is stored
    on each delivery: renaming a receiver makes it receive undelivered events again)."""
    if not topic or len(topic) > 64:
        raise ValueError("outbox topic must be 1-64 characters")
    if not name or len(name) > 100:
        raise ValueError("outbox receiver name must be 1-100 characters")

    def register(func: Receiver) -> Receiver:
        existing = _RECEIVERS.setdefault(topic, {}).get(name)
        if existing is not None and existing is not func and (
            existing.__module__, existing.__qualname__) != (func.__module__, func.__qualname__):
            raise ValueError(f"outbox receiver {name!r} is already registered for {topic!r}")
        _RECEIVERS[topic][name] = func
        return func

    return register


_BATCH: dict[tuple[str, str], Callable[[list[OutboxEvent]], None]] = {}


def outbox_receivers_batch(topic: str, name: str):
    """Register ``func(events) -> None``, the batch form of the receiver ``name`` of ``topic``: the
    same effect as calling that receiver on each event, in one go (one multi-row statement instead
    of one per event). The worker's drain hands a batch of events of a topic to it when every
    receiver of the topic has a batch form; everything else goes one event at a time. A batch
    form must write nothing that another transaction holds long (no hot rows: it runs under the
    row locks of a hundred events)."""
    def register(func):
        _BATCH[(topic, name)] = func
        return func

    return register


def _batch_topics() -> list[str]:
    return [topic for topic, receivers in _RECEIVERS.items()
            if receivers and all((topic, name) in _BATCH for name in receivers)]


def receivers_for(topic: str) -> dict[str, Receiver]:
    return dict(_RECEIVERS.get(topic, {}))


def load_receiver_modules() -> None:
    """Import the modules named in ``OUTBOX_RECEIVER_MODULES`` (receivers outside any app's
    ``ready()``, e.g. a worker started by a test)."""
    for module in _setting("OUTBOX_RECEIVER_MODULES", []):
        import_module(module)


# The drain's Redis keys: the ids waiting for the worker, and "a drain is queued".
PENDING_KEY = "outbox:pending"
DRAIN_FLAG = "outbox:drain-queued"
DRAIN_BATCH = 100
DRAIN_LIMIT = 2000  # per task: a longer backlog queues the next drain instead of holding the worker
DRAIN_FLAG_SECONDS = 10  # a drain task lost on the way stops holding back the next one after this


def _drain_queue(redis) -> None:
    """Queue a drain unless one is queued already (the flag expires, so a lost task heals)."""
    from .tasks import outbox_drain_task

    if redis.set(DRAIN_FLAG, 1, nx=True, ex=DRAIN_FLAG_SECONDS):
        try:
            outbox_drain_task.delay()
        except Exception:
            redis.delete(DRAIN_FLAG)
            raise


def _hand_over_later(event_ids: list[int]) -> None:
    """After commit: hand the events the transaction wrote to the worker (see the module's
    docstring: one Redis round trip, a broker message only when no drain is queued)."""
    from celery import current_app

    from .tasks import outbox_dispatch_many_task

    try:
        if current_app.conf.task_always_eager:
            # Without a broker, hand over here. (An eager task flips Celery's process-wide
            # "join would block" flag, which threads running eager tasks at once leave stuck.)
            outbox_dispatch_many(event_ids=event_ids)
            return
        redis = cache_redis()
        if redis is None:
            outbox_dispatch_many_task.delay(list(event_ids))
            return
        pipe = redis.pipeline(transaction=False)
        pipe.rpush(PENDING_KEY, *event_ids)
        pipe.exists(DRAIN_FLAG)
        if not pipe.execute()[1]:
            _drain_queue(redis)
    except Exception:  # Redis or the broker down: the sweep hands them over
        logger.exception("outbox: could not queue events %s; the sweep will hand them over", event_ids)


def outbox_drain(*, batch: int = DRAIN_BATCH, limit: int = DRAIN_LIMIT) -> int:
    """The worker's side of the hand-over: take the waiting ids from Redis ``batch`` at a time;
    the events of topics with batch receivers (``_dispatch_batch``: the order status changes'
    messages, plain inserts) go in one transaction, every other event in a transaction of its own
    (``outbox_dispatch``: one batch in one transaction held hot rows — a product's sales count, a
    creator's balance — across a hundred events, and two worker processes deadlocked on them).
    The flag is cleared first, so ids pushed from now on either are popped here or queue the
    next drain. What a failure leaves of a batch goes back on the list. Returns how many ids
    were taken."""
    redis = cache_redis()
    if redis is None:
        return 0
    redis.delete(DRAIN_FLAG)
    taken = 0
    while taken < limit:
        ids = redis.lpop(PENDING_KEY, batch)
        if not ids:
            return taken
        popped = len(ids)
        ids = _dispatch_batch([int(x) for x in ids])  # (what is left goes one event at a time)
        for done, event_id in enumerate(ids):
            try:
                outbox_dispatch(event_id=event_id)
            except Exception:
                redis.rpush(PENDING_KEY, *ids[done:])
                raise
        taken += popped
    if redis.llen(PENDING_KEY):
        _drain_queue(redis)
    return taken


def _dispatch_batch(ids: list[int]) -> list[int]:
    """Hand over, in one transaction, the events among ``ids`` whose topic has batch receivers
    (``outbox_receivers_batch``): their delivery rows in one statement per receiver, the batch
    form on the events a receiver had not taken, then one "delivered" mark. Returns the ids left
    to hand over one at a time: the other topics', and every id when the batch failed (logged,
    rolled back whole: each event then goes alone, and a failing one waits for the sweep)."""
    topics = _batch_topics()
    if not topics or len(ids) < 2:
        return ids
    try:
        with transaction.atomic():
            events = list(_lock(OutboxEvent.objects.filter(pk__in=ids, delivered_at__isnull=True,
                                                           topic__in=topics)).order_by("pk"))
            by_topic: dict[str, list[OutboxEvent]] = {}
            for event in events:
                by_topic.setdefault(event.topic, []).append(event)
            for topic, batch in by_topic.items():
                for name in receivers_for(topic):
                    marked = _mark_rows([(event.pk, name) for event in batch])
                    taken = [event for event in batch if (event.pk, name) in marked]
                    if taken:
                        _BATCH[(topic, name)](taken)
            if events:
                OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(delivered_at=timezone.now())
    except Exception:
        logger.exception("outbox: a batch of %s events failed; each goes alone", len(ids))
        return ids
    done = {event.pk for event in events}
    return [event_id for event_id in ids if event_id not in done]


class _Batch:
    __slots__ = ("hooks", "savepoint", "ids", "sent")

    def __init__(self, hooks, savepoint):
        self.hooks, self.savepoint, self.ids, self.sent = hooks, savepoint, [], False

    def send(self) -> None:
        self.sent = True
        _hand_over_later(self.ids)


def _hand_over_on_commit(event_id: int) -> None:
    """Add ``event_id`` to this transaction's batch; the first event of a batch registers the one
    after-commit hand-over. A batch belongs to one (savepoint of a) transaction: a rollback replaces
    Django's list of commit hooks, a sent batch is closed, and an event in another savepoint
    starts its own batch (its hook lives and dies with that savepoint)."""
    if not connection.in_atomic_block:  # autocommit: the insert is committed already
        _hand_over_later([event_id])
        return
    savepoint = connection.savepoint_ids[-1] if connection.savepoint_ids else None
    batch = getattr(connection, "_outbox_batch", None)
    if batch is None or batch.sent or batch.hooks is not connection.run_on_commit or batch.savepoint != savepoint:
        batch = connection._outbox_batch = _Batch(connection.run_on_commit, savepoint)
        transaction.on_commit(batch.send)
    batch.ids.append(event_id)


def outbox_emit(*, topic: str, key: str, payload: dict) -> OutboxEvent:
    """Write an event in the caller's transaction; hand it over after commit.

    The same ``key`` again returns the stored event unchanged (no duplicate, no error).

    One statement, ``INSERT … ON CONFLICT (key) DO NOTHING RETURNING id``: no read first and no
    savepoint, because events are written on the hottest paths (a payment notify, an order's
    every status change) inside their transaction."""
    if not topic or len(topic) > 64:
        raise ValueError("outbox topic must be 1-64 characters")
    if not key or len(key) > 200:
        raise ValueError("outbox key must be 1-200 characters")
    if not isinstance(payload, dict):
        raise TypeError("outbox payload must be a dict")
    event = OutboxEvent(topic=topic, key=key, payload=payload)
    if not insert_once(event, ("topic", "key", "payload", "created_at"), conflict=("key",)):
        return OutboxEvent.objects.get(key=key)  # the key was there already: the stored event, as it is
    _hand_over_on_commit(event.pk)
    return event


def _mark_taken(event_id: int, name: str) -> bool:
    """Insert the receiver's delivery row; False when it has one already."""
    return insert_once(OutboxDelivery(event_id=event_id, receiver=name), ("event", "receiver", "delivered_at"),
                       conflict=("event", "receiver"))


RAN, TAKEN, FAILED = "ran", "taken", "failed"


def _deliver_one(event: OutboxEvent, name: str, func: Receiver) -> str:
    """Run one receiver with its delivery row in one atomic block: ``RAN`` now, ``TAKEN`` before
    (its row was there: skipped), or ``FAILED`` (rolled back, logged, handed over again later)."""
    try:
        with transaction.atomic():
            if not _mark_taken(event.pk, name):
                return TAKEN
            func(event)
    except Exception:
        _receiver_failed(name, event)
        return FAILED
    return RAN


class _LoneReceiverFailed(Exception):
    """A receiver that ran without a savepoint of its own raised (``_dispatch_locked(alone=True)``):
    its event's whole transaction rolls back, which leaves exactly what a failed savepoint leaves."""

    def __init__(self, name: str, event: OutboxEvent):
        super().__init__(name)
        self.name, self.event = name, event


def _receiver_failed(name: str, event: OutboxEvent) -> None:
    logger.exception("outbox: receiver %s failed on event %s (%s); it will be handed over again",
                     name, event.pk, event.key)


def _mark_all_taken(event_id: int, names: list[str]) -> list[str]:
    """Insert the delivery rows of ``names`` in one statement; the names that had none before."""
    if len(names) <= 1:
        return [name for name in names if _mark_taken(event_id, name)]
    marked = _mark_rows([(event_id, name) for name in names])
    return [name for name in names if (event_id, name) in marked]


def _mark_rows(pairs: list[tuple[int, str]]) -> set[tuple[int, str]]:
    """Insert the delivery rows ``(event id, receiver)`` in one statement that skips the ones there
    already; the pairs it wrote (an event's receivers, or a batch's events for one receiver)."""
    at = OutboxDelivery._meta.get_field("delivered_at").get_db_prep_save(timezone.now(), connection)
    with connection.cursor() as cursor:
        cursor.execute(_mark_rows_sql(len(pairs)), [x for event_id, name in pairs for x in (event_id, name, at)])
        return {(row[0], row[1]) for row in cursor.fetchall()}


@functools.lru_cache(maxsize=256)
def _mark_rows_sql(n: int) -> str:
    quote, meta = connection.ops.quote_name, OutboxDelivery._meta
    event, receiver, at = (quote(meta.get_field(f).column) for f in ("event", "receiver", "delivered_at"))
    return (f"INSERT INTO {quote(meta.db_table)} ({event}, {receiver}, {at}) VALUES "
            f"{', '.join(['(%s, %s, %s)'] * n)} ON CONFLICT ({event}, {receiver}) DO NOTHING "
            f"RETURNING {event}, {receiver}")


def _dispatch_locked(event: OutboxEvent, *, alone: bool = False, skip: str = "") -> int:
    """Every receiver of ``event``, each in a savepoint of its own. ``alone``: the caller's
    transaction holds this event and nothing else, so every receiver runs in that transaction
    directly, their delivery rows written by one statement — for a paid order's four receivers
    eleven statements fewer. A failure (``_LoneReceiverFailed``, for the caller to handle outside
    the transaction) rolls back the whole event; the caller then hands it over again the
    savepoint way without it (``skip``), so the receivers that work commit and only the failing
    one waits for the sweep."""
    receivers = receivers_for(event.topic)
    if alone:
        taken = _mark_all_taken(event.pk, list(receivers))
        for name in taken:
            try:
                receivers[name](event)
            except Exception as exc:
                raise _LoneReceiverFailed(name, event) from exc
        _mark_delivered(event)
        return len(taken)
    delivered, complete = 0, not skip
    for name, func in receivers.items():
        if name == skip:
            continue
        outcome = _deliver_one(event, name, func)
        delivered += outcome == RAN
        complete = complete and outcome != FAILED
    if complete:
        _mark_delivered(event)
    return delivered


def _mark_delivered(event: OutboxEvent) -> None:
    update_row(OutboxEvent(pk=event.pk, delivered_at=timezone.now()), ("delivered_at",))


def _lock(queryset):
    if connection.vendor == "postgresql":
        return queryset.select_for_update(skip_locked=True)
    return queryset.select_for_update()


# The worker's read of every event it is handed: prepared (compiled once per connection).
_WAITING_EVENT = Prepared(lambda pk: _lock(OutboxEvent.objects.filter(pk=pk, delivered_at__isnull=True))[:1], int)


def _dispatch_one(take: Callable[[], OutboxEvent | None]) -> tuple[OutboxEvent | None, int]:
    """Lock the waiting event ``take()`` reads (None: none to take) and hand it over in a
    transaction of its own, its receivers without savepoints (``_dispatch_locked(alone=True)``):
    the event and how many receivers took it now. When one of them fails, that transaction is
    rolled back whole and logged, and an event with several receivers is handed over again in a
    new one to the others, each in its own savepoint: they commit, the failing one waits for the
    sweep (it could fail again; its neighbours need not wait with it)."""
    try:
        with transaction.atomic():
            event = take()
            return event, (_dispatch_locked(event, alone=True) if event is not None else 0)
    except _LoneReceiverFailed as failed:
        _receiver_failed(failed.name, failed.event)
        if len(receivers_for(failed.event.topic)) == 1:
            return failed.event, 0
        again, failed_name = failed.event, failed.name
    with transaction.atomic():  # the others commit; the failing one waits for the sweep, as it would have
        event = _WAITING_EVENT.first(again.pk)
        return again, (_dispatch_locked(event, skip=failed_name) if event is not None else 0)


def outbox_dispatch(*, event_id: int) -> int:
    """Hand one event to every receiver that has not taken it; returns how many took it now.

    An event another process is handing over right now (row locked) is left to it."""
    return _dispatch_one(lambda: _WAITING_EVENT.first(int(event_id)))[1]


def outbox_dispatch_many(*, event_ids: list[int]) -> int:
    """Hand over the events one transaction wrote, in one transaction of their own (a payment
    notify writes two); events another process holds, or delivered already, are left alone."""
    with transaction.atomic():
        events = list(_lock(OutboxEvent.objects.filter(pk__in=event_ids, delivered_at__isnull=True)).order_by("pk"))
        return sum(_dispatch_locked(event) for event in events)


def outbox_sweep(*, older_than_seconds: int | None = None, limit: int = SWEEP_BATCH) -> int:
    """Hand over every event still undelivered after ``OUTBOX_SWEEP_AFTER_SECONDS`` (one
    transaction per event; rows another sweep holds are skipped). Returns events handed over."""
    if older_than_seconds is None:
        older_than_seconds = _setting("OUTBOX_SWEEP_AFTER_SECONDS", 30)
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    handed, last_id = 0, 0
    for _ in range(limit):
        waiting = OutboxEvent.objects.filter(created_at__lte=cutoff, pk__gt=last_id, delivered_at__isnull=True)
        event, _ = _dispatch_one(lambda waiting=waiting: _lock(waiting.order_by("pk")).first())
        if event is None:
            break
        last_id = event.pk
        handed += 1
    return handed


def outbox_prune(*, keep_days: int | None = None) -> int:
    """Delete events every receiver took more than ``OUTBOX_KEEP_DAYS`` ago (with their deliveries)."""
    if keep_days is None:
        keep_days = _setting("OUTBOX_KEEP_DAYS", 7)
    cutoff = timezone.now() - timedelta(days=keep_days)
    deleted, _ = OutboxEvent.objects.filter(delivered_at__lt=cutoff).delete()
    return deleted


def outbox_redeliver(*, event_ids: list[int]) -> int:
    """Admin "hand over again": clear ``delivered_at`` (receivers that took the event still skip
    it; one added since, or one that failed, gets it) and dispatch after commit."""
    with transaction.atomic():
        ids = list(OutboxEvent.objects.filter(pk__in=event_ids).values_list("pk", flat=True))
        OutboxEvent.objects.filter(pk__in=ids).update(delivered_at=None)
        for event_id in ids:
            transaction.on_commit(lambda event_id=event_id: _hand_over_later([event_id]))
    return len(ids)
