"""Versioned caching for what shoppers read.

Each creator's showcase, each video's products and each live session has a version number
in the cache. Shopper pages and JSON are stored under keys that contain the current
version, so an edit only has to bump the version (after its transaction commits) to make
every old entry unreachable: the next read builds the new one. Nothing is deleted, and a
reader racing an edit can at worst store the old content under the old version.

A version that the cache lost (eviction, restart, or a day after it was created) comes back
as the current time in microseconds, which is above every number it could have reached by
increments, so an old entry is never mistaken for a new one.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

SHOWCASE = "showcase"  # per creator (user id)
VIDEO = "video"  # per video id
LIVE = "live"  # per live session id


def _version_key(scope: str, obj_id: int) -> str:
    return f"sc:ver:{scope}:{obj_id}"


# A version key expires a day after it was created; one that is gone restarts above every old one.
VERSION_TTL = 24 * 3600


def _fresh() -> int:
    return time.time_ns() // 1000


def version(scope: str, obj_id: int) -> int:
    key = _version_key(scope, obj_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh(), VERSION_TTL)
        value = cache.get(key)
    return int(value)


def bump(scope: str, obj_id: int) -> None:
    key = _version_key(scope, obj_id)
    try:
        cache.incr(key)
    except ValueError:  # not in the cache (never read, or evicted)
        cache.set(key, _fresh(), VERSION_TTL)


def bump_on_commit(scope: str, *obj_ids: int) -> None:
    """Bump after the surrounding transaction commits (at once outside one)."""
    for obj_id in {i for i in obj_ids if i}:
        transaction.on_commit(lambda i=obj_id: bump(scope, i))


def versioned_key(scope: str, obj_id: int, *parts, ver: int | None = None) -> str:
    ver = version(scope, obj_id) if ver is None else ver
    return ":".join(["sc", scope, str(obj_id), f"v{ver}", *map(str, parts)])


class WorkerCopy:
    """What this worker process answered for a moment (``SHOWCASE_HOT_LOCAL_SECONDS``, 0 = off):
    thousands of shoppers opening the same showcase or polling the same live room cost one cache
    read per process per moment, and an edit still shows within a second everywhere."""

    MAX_ENTRIES = 10_000

    def __init__(self):
        self._entries: dict[Hashable, tuple[float, object]] = {}

    @staticmethod
    def seconds() -> float:
        return getattr(settings, "SHOWCASE_HOT_LOCAL_SECONDS", 0.5)

    def get(self, key: Hashable):
        if self.seconds() <= 0:
            return None
        hit = self._entries.get(key)
        return hit[1] if hit is not None and hit[0] > time.monotonic() else None

    def put(self, key: Hashable, value) -> None:
        ttl = self.seconds()
        if ttl > 0:
            if len(self._entries) >= self.MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (time.monotonic() + ttl, value)

    def get_or_load(self, key: Hashable, load: Callable[[], object]):
        """The copy under ``key``, or what ``load()`` returns (kept unless None)."""
        value = self.get(key)
        if value is None:
            value = load()
            if value is not None:
                self.put(key, value)
        return value

    def clear(self) -> None:
        self._entries.clear()


worker_copy = WorkerCopy()


def get_or_build(key: str, build: Callable[[], object], timeout: int | None = None):
    """The cached value under ``key``, built and stored on a miss."""
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.SHOWCASE_CACHE_SECONDS if timeout is None else timeout)
    return value


# --- one round trip for the hottest reads -----------------------------------------------------
# On Redis, the version and the entry it points at are read by one server-side script: a live
# room's poll or a video's product list then costs one round trip instead of two.
_FETCH_SCRIPT = """
local v = redis.call('GET', KEYS[1])
if not v then return false end
return {v, redis.call('GET', ARGV[1] .. v .. ARGV[2])}
"""


@lru_cache(maxsize=1)
def _redis_fetch():
    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client") or not hasattr(client, "decode"):
        return None
    return client.get_client(write=False).register_script(_FETCH_SCRIPT)


def fetch(scope: str, obj_id: int, *parts) -> tuple[int, object]:
    """``(version, entry)`` of ``versioned_key(scope, obj_id, *parts)``; the entry is None on a miss."""
    script = _redis_fetch()
    if script is not None:
        head = cache.make_key(f"sc:{scope}:{obj_id}:v")
        tail = "".join(f":{p}" for p in parts)
        found = script(keys=[cache.make_key(_version_key(scope, obj_id))], args=[head, tail])
        if found:
            ver, raw = found
            return int(ver), (None if raw is None else cache.client.decode(raw))
    ver = version(scope, obj_id)
    return ver, cache.get(versioned_key(scope, obj_id, *parts, ver=ver))


_POINTER_SCRIPT = """
local id = redis.call('GET', KEYS[1])
if not id then return false end
local v = redis.call('GET', ARGV[1] .. id)
if not v then return {id} end
return {id, v, redis.call('GET', ARGV[2] .. id .. ':v' .. v .. ARGV[3])}
"""


@lru_cache(maxsize=1)
def _redis_pointer():
    return _redis_fetch() and cache.client.get_client(write=False).register_script(_POINTER_SCRIPT)


def fetch_by_pointer(pointer: str, scope: str, *parts) -> tuple[int | None, object]:
    """``(obj_id, entry)``: the id stored under the cache key ``pointer`` (a Douyin number → creator
    id, say), then that object's current versioned entry — one round trip on Redis."""
    script = _redis_pointer()
    if script is not None:
        tail = "".join(f":{p}" for p in parts)
        found = script(keys=[cache.make_key(pointer)],
                       args=[cache.make_key(_version_key(scope, "")), cache.make_key(f"sc:{scope}:"), tail])
        if not found:
            return None, None
        obj_id = int(found[0])
        if len(found) == 3 and found[2] is not None:
            return obj_id, cache.client.decode(found[2])
        return obj_id, None
    obj_id = cache.get(pointer)
    if obj_id is None:
        return None, None
    return obj_id, fetch(scope, obj_id, *parts)[1]
