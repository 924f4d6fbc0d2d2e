from celery import shared_task
from django.conf import settings


@shared_task(name="openplatform.webhook_send")
def webhook_send(delivery_id: int) -> None:
    """One attempt; a failure schedules the next one with exponential backoff (until a day has passed)."""
    from .webhooks import webhook_attempt

    delay = webhook_attempt(delivery_id)
    if delay is not None and not settings.CELERY_TASK_ALWAYS_EAGER:  # eager (tests, no Redis): no sleeping loop
        webhook_send.apply_async((delivery_id,), countdown=delay)
