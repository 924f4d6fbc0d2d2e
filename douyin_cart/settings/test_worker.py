"""A Celery worker started by a test: the test settings, the test database, a real broker."""
from .test import *  # noqa: F401,F403
from .test import DATABASES, REDIS_URL, env

CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
DATABASES["default"]["NAME"] = env("TEST_WORKER_DB_NAME", default=DATABASES["default"]["NAME"])
