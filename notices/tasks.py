"""Celery tasks of the notices app."""
from celery import shared_task

from . import services


@shared_task(name="notices.course_notify")
def course_notify_task(course_id: int) -> int:
    return services.course_notify(course_id=course_id)
