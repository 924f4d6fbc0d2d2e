"""Celery tasks of the commissions room: thin wrappers over services."""
from __future__ import annotations

from celery import shared_task

from . import services
from .checks import ledger_check_and_alert


@shared_task(name="commissions.settle_due")
def settle_due_task() -> int:
    return services.settle_due()


@shared_task(name="commissions.ledger_check")
def ledger_check_task() -> bool:
    return ledger_check_and_alert().ok
