"""The event buffer: counters kept in Redis (or in this process when there is no Redis),
flushed into ``DailyStat`` by ``stats_flush``.

Recording an event is one ``HINCRBY`` on a hash whose field is
``day|creator|channel|product|kind``. A flush atomically renames that hash to a batch key
and lists the batch id in a "pending" set (one Lua script, so an event lands either in the
old batch or in the new live hash, never nowhere), adds the batch to the database and
then deletes it. A batch that a crashed or concurrent flush left pending is picked up by
the next flush; ``FlushBatch`` makes adding a batch twice impossible.

With the local-memory cache (dev and tests without Redis) the same steps run on an
in-process dictionary under a lock: the local cache is per process anyway.
"""
from __future__ import annotations

import threading
import uuid
from collections import Counter

from django.core.cache import cache

_TAKE_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('SADD', KEYS[3], ARGV[1])
  return 1
end
return 0
"""


class RedisBuffer:
    name = "redis"

    def __init__(self, conn):
        self.conn = conn
        self.live_key = cache.make_key("stats:buf:live")
        self.pending_key = cache.make_key("stats:buf:pending")
        self._take = conn.register_script(_TAKE_SCRIPT)

    def batch_key(self, batch_id: str) -> str:
        return cache.make_key(f"stats:buf:batch:{batch_id}")

    def add(self, field: str, amount: int = 1) -> None:
        self.conn.hincrby(self.live_key, field, amount)

    def take(self) -> str | None:
        batch_id = uuid.uuid4().hex
        moved = self._take(keys=[self.live_key, self.batch_key(batch_id), self.pending_key], args=[batch_id])
        return batch_id if moved else None

    def pending(self) -> list[str]:
        return sorted(m.decode() if isinstance(m, bytes) else m for m in self.conn.smembers(self.pending_key))

    def read(self, batch_id: str) -> dict[str, int]:
        raw = self.conn.hgetall(self.batch_key(batch_id))
        return {(k.decode() if isinstance(k, bytes) else k): int(v) for k, v in raw.items()}

    def discard(self, batch_id: str) -> None:
        pipe = self.conn.pipeline(transaction=True)
        pipe.delete(self.batch_key(batch_id))
        pipe.srem(self.pending_key, batch_id)
        pipe.execute()

    def live_size(self) -> int:
        return int(self.conn.hlen(self.live_key))

    def clear(self) -> None:
        for batch_id in self.pending():
            self.conn.delete(self.batch_key(batch_id))
        self.conn.delete(self.live_key, self.pending_key)


class LocalBuffer:
    name = "local"
    _lock = threading.Lock()
    _live: Counter = Counter()
    _batches: dict[str, Counter] = {}

    def add(self, field: str, amount: int = 1) -> None:
        with self._lock:
            LocalBuffer._live[field] += amount

    def take(self) -> str | None:
        with self._lock:
            if not LocalBuffer._live:
                return None
            batch_id = uuid.uuid4().hex
            LocalBuffer._batches[batch_id] = LocalBuffer._live
            LocalBuffer._live = Counter()
            return batch_id

    def pending(self) -> list[str]:
        with self._lock:
            return sorted(LocalBuffer._batches)

    def read(self, batch_id: str) -> dict[str, int]:
        with self._lock:
            return dict(LocalBuffer._batches.get(batch_id, {}))

    def discard(self, batch_id: str) -> None:
        with self._lock:
            LocalBuffer._batches.pop(batch_id, None)

    def live_size(self) -> int:
        with self._lock:
            return len(LocalBuffer._live)

    def clear(self) -> None:
        with self._lock:
            LocalBuffer._live = Counter()
            LocalBuffer._batches = {}


_buffer = None


def get_buffer():
    """The Redis buffer when the default cache is Redis, the in-process one otherwise."""
    global _buffer
    if _buffer is None:
        try:
            from django_redis import get_redis_connection

            _buffer = RedisBuffer(get_redis_connection("default"))
        except (ImportError, NotImplementedError):
            _buffer = LocalBuffer()
    return _buffer


def reset_buffer() -> None:
    """Forget the chosen backend (tests that swap the cache settings)."""
    global _buffer
    _buffer = None
