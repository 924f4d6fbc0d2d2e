"""Versioned caching for what shoppers read.

Each creator's showcase, each video's products and each live session has a version number
in the cache. Shopper pages and JSON are stored under keys that contain the current
version, so an edit only has to bump the version (after its transaction commits) to make
every old entry unreachable: the next read builds the new one. Nothing is deleted, and a
reader racing an edit can at worst store the old content under the old version.

A version that the cache lost (eviction, restart) comes back as the current time in
microseconds, which is above every number it could have reached by increments, so an old
entry is never mistaken for a new one.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

SHOWCASE = "showcase"  # per creator (user id)
VIDEO = "video"  # per video id
LIVE = "live"  # per live session id


def _version_key(scope: str, obj_id: int) -> str:
    return f"sc:ver:{scope}:{obj_id}"


def _fresh() -> int:
    return time.time_ns() // 1000


def version(scope: str, obj_id: int) -> int:
    key = _version_key(scope, obj_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh(), None)
        value = cache.get(key)
    return int(value)


def bump(scope: str, obj_id: int) -> None:
    key = _version_key(scope, obj_id)
    try:
        cache.incr(key)
    except ValueError:  # not in the cache (never read, or evicted)
        cache.set(key, _fresh(), None)


def bump_on_commit(scope: str, *obj_ids: int) -> None:
    """Bump after the surrounding transaction commits (at once outside one)."""
    for obj_id in {i for i in obj_ids if i}:
        transaction.on_commit(lambda i=obj_id: bump(scope, i))


def versioned_key(scope: str, obj_id: int, *parts, ver: int | None = None) -> str:
    ver = version(scope, obj_id) if ver is None else ver
    return ":".join(["sc", scope, str(obj_id), f"v{ver}", *map(str, parts)])


def get_or_build(key: str, build: Callable[[], object], timeout: int | None = None):
    """The cached value under ``key``, built and stored on a miss."""
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.SHOWCASE_CACHE_SECONDS if timeout is None else timeout)
    return value
