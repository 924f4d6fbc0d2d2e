"""The Redis connection behind the default cache, for what needs Redis itself rather than the
cache's get/set: Lua scripts, lists, counters (the stock gate, the outbox's drain, the stats
buffer). None where the cache is not django-redis (``make run``, tests without REDIS_URL); each
caller then does without."""
from __future__ import annotations

from django.conf import settings


def cache_redis():
    if "django_redis" not in settings.CACHES["default"]["BACKEND"]:
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default")
