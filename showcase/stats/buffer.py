"""The event buffer: counters kept in Redis (or in this process when there is no Redis),
flushed into ``DailyStat`` by ``stats_flush``.

An event is a ``HINCRBY`` on a hash whose field is ``day|creator|channel|product|kind``,
after a ``SET NX`` on the visitor's "seen" key when repeats within a window count once.
Page views are the hottest write there is, so a web process does not pay a round trip per
event: ``record`` queues the event in memory and a background thread of the process sends the
queue every ``STATS_WRITE_BEHIND_SECONDS`` (one script call for the whole batch). ``drain``
sends at once; taking a batch drains first, so whatever this process recorded before a flush
is in it. A process killed outright loses at most that fraction of a second of views.

A flush atomically renames that hash to a batch key
and lists the batch id in a "pending" set (one Lua script, so an event lands either in the
old batch or in the new live hash, never nowhere), adds the batch to the database and
then deletes it. A batch that a crashed or concurrent flush left pending is picked up by
the next flush; ``FlushBatch`` makes adding a batch twice impossible.

With the local-memory cache (dev and tests without Redis) the same steps run on an
in-process dictionary under a lock: the local cache is per process anyway.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
import uuid
from collections import Counter

from django.conf import settings
from django.core.cache import cache

from core.cache_redis import cache_redis

logger = logging.getLogger(__name__)

_TAKE_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('SADD', KEYS[3], ARGV[1])
  return 1
end
return 0
"""


# KEYS[1] the live hash, KEYS[2..] the events' "seen" keys; ARGV[1] the repeat window in
# seconds, ARGV[2..] the events' fields: an event whose visitor was seen within the window is dropped.
_RECORD_SCRIPT = """
local ttl = tonumber(ARGV[1])
for i = 2, #KEYS do
  if redis.call('SET', KEYS[i], 1, 'NX', 'EX', ttl) then
    redis.call('HINCRBY', KEYS[1], ARGV[i], 1)
  end
end
return #KEYS - 1
"""
_SCRIPT_BATCH = 1000  # events per script call
_QUEUE_MAX = 200_000  # events kept while Redis is unreachable; beyond that they are dropped (and logged)


def write_behind_seconds() -> float:
    return float(getattr(settings, "STATS_WRITE_BEHIND_SECONDS", 0.25))


class RedisBuffer:
    name = "redis"

    def __init__(self, conn):
        self.conn = conn
        self.live_key = cache.make_key("stats:buf:live")
        self.pending_key = cache.make_key("stats:buf:pending")
        self._take = conn.register_script(_TAKE_SCRIPT)
        self._record = conn.register_script(_RECORD_SCRIPT)
        self._fork_reset()

    def _fork_reset(self) -> None:
        """Fresh queue, locks and sender for this process (a forked child inherits none of them)."""
        self._pid = os.getpid()
        self._queue: list[tuple[str, str | None, int]] = []
        self._queue_lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = False
        self._sender: threading.Thread | None = None

    # --- recording ----------------------------------------------------------------------
    def record(self, field: str, *, seen_key: str | None = None, window: int = 0) -> None:
        """Count ``field`` once, unless ``seen_key`` was recorded within ``window`` seconds."""
        if os.getpid() != self._pid:
            self._fork_reset()
        key = cache.make_key(seen_key) if seen_key and window > 0 else None
        with self._queue_lock:
            self._queue.append((field, key, window))
            size = len(self._queue)
        if write_behind_seconds() <= 0 or self._stopped:
            try:
                self.drain()
            except Exception:  # noqa: BLE001 - logged by drain; a page never fails for a statistic
                pass
            return
        if self._sender is None or not self._sender.is_alive():
            self._start_sender()
        if size >= _SCRIPT_BATCH:
            self._wake.set()

    def _start_sender(self) -> None:
        with self._queue_lock:
            if self._sender is not None and self._sender.is_alive():
                return
            self._sender = threading.Thread(target=self._send_loop, name="stats-write-behind", daemon=True)
            self._sender.start()

    def _send_loop(self) -> None:
        while not self._stopped:
            self._wake.wait(write_behind_seconds())
            self._wake.clear()
            try:
                self.drain()
            except Exception:  # noqa: BLE001 - the sender must outlive a Redis hiccup; drain logged it
                pass

    def close(self) -> None:
        """Stop the sender after sending what is queued (later events are sent as they come)."""
        self._stopped = True
        self._wake.set()
        sender = self._sender
        if sender is not None and sender is not threading.current_thread() and os.getpid() == self._pid:
            sender.join(5)
        try:
            self.drain()
        except Exception:  # noqa: BLE001 - logged by drain
            pass

    def drain(self) -> int:
        """Send every queued event now; when it returns, all events recorded before the call are
        in the live hash (or were dropped as repeats). Returns how many were sent."""
        if os.getpid() != self._pid:
            self._fork_reset()
        with self._send_lock:
            with self._queue_lock:
                events, self._queue = self._queue, []
            if not events:
                return 0
            try:
                self._send(events)
            except Exception:
                with self._queue_lock:
                    if len(self._queue) + len(events) <= _QUEUE_MAX:
                        self._queue[:0] = events
                    else:
                        logger.error("stats buffer unreachable: dropped %d events", len(events))
                logger.exception("stats buffer: sending %d events failed", len(events))
                raise
            return len(events)

    def _send(self, events: list[tuple[str, str | None, int]]) -> None:
        plain: Counter = Counter()
        by_window: dict[int, list[tuple[str, str]]] = {}
        for field, key, window in events:
            if key is None:
                plain[field] += 1
            else:
                by_window.setdefault(window, []).append((field, key))
        pipe = self.conn.pipeline(transaction=False)
        for field, amount in plain.items():
            pipe.hincrby(self.live_key, field, amount)
        for window, seen in by_window.items():
            for i in range(0, len(seen), _SCRIPT_BATCH):
                chunk = seen[i:i + _SCRIPT_BATCH]
                self._record(keys=[self.live_key, *(k for _f, k in chunk)], args=[window, *(f for f, _k in chunk)],
                             client=pipe)
        pipe.execute()

    def queued(self) -> int:
        with self._queue_lock:
            return len(self._queue)

    def batch_key(self, batch_id: str) -> str:
        return cache.make_key(f"stats:buf:batch:{batch_id}")

    def take(self) -> str | None:
        self.drain()
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
        self.drain()
        return int(self.conn.hlen(self.live_key))

    def clear(self) -> None:
        with self._queue_lock:
            self._queue = []
        for batch_id in self.pending():
            self.conn.delete(self.batch_key(batch_id))
        self.conn.delete(self.live_key, self.pending_key)


class LocalBuffer:
    name = "local"
    _lock = threading.Lock()
    _live: Counter = Counter()
    _batches: dict[str, Counter] = {}

    def record(self, field: str, *, seen_key: str | None = None, window: int = 0) -> None:
        if seen_key and window > 0 and not cache.add(seen_key, 1, window):
            return
        with self._lock:
            LocalBuffer._live[field] += 1

    def drain(self) -> int:
        return 0

    def close(self) -> None:
        pass

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
        redis = cache_redis()
        _buffer = RedisBuffer(redis) if redis is not None else LocalBuffer()
    return _buffer


def reset_buffer() -> None:
    """Forget the chosen backend (tests that swap the cache settings)."""
    global _buffer
    if _buffer is not None:
        _buffer.close()
    _buffer = None


@atexit.register
def _drain_at_exit() -> None:
    """A process that stops cleanly (a worker restart, a management command) sends what it queued."""
    if _buffer is not None:
        _buffer.close()
