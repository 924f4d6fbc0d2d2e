"""Celery tasks of the creators app (governance): penalties end, clean periods give points back."""
from celery import shared_task

from .services import governance


@shared_task(name="creators.penalties_lift_due")
def penalties_lift_due_task() -> int:
    return governance.penalties_lift_due()


@shared_task(name="creators.credit_clean_restore")
def credit_clean_restore_task() -> int:
    return governance.credit_clean_restore_all()
