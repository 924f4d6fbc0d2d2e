"""Celery tasks of the core room: the outbox's hand-over, sweep and pruning."""
from celery import shared_task

from . import outbox


@shared_task(name="core.outbox_dispatch", ignore_result=True)
def outbox_dispatch_task(event_id: int) -> int:
    return outbox.outbox_dispatch(event_id=event_id)


@shared_task(name="core.outbox_dispatch_many", ignore_result=True)
def outbox_dispatch_many_task(event_ids: list[int]) -> int:
    return outbox.outbox_dispatch_many(event_ids=event_ids)


@shared_task(name="core.outbox_drain", ignore_result=True)
def outbox_drain_task() -> int:
    return outbox.outbox_drain()


@shared_task(name="core.outbox_sweep")
def outbox_sweep_task(older_than_seconds: int | None = None) -> int:
    return outbox.outbox_sweep(older_than_seconds=older_than_seconds)


@shared_task(name="core.outbox_prune")
def outbox_prune_task() -> int:
    return outbox.outbox_prune()
