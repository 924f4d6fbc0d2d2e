"""Periodic work of the stats app (schedules.py): flush the event buffer, rebuild the
leaderboard, forget old flush batch ids."""
from celery import shared_task

from . import services


@shared_task(name="stats.flush")
def stats_flush_task() -> dict:
    result = services.stats_flush()
    return {"batches": result.batches, "rows": result.rows, "events": result.events}


@shared_task(name="stats.leaderboard_refresh")
def leaderboard_refresh_task() -> int | None:
    return services.leaderboard_refresh()


@shared_task(name="stats.flush_batches_prune")
def flush_batches_prune_task() -> int:
    return services.flush_batches_prune()
