"""The HTTP layer every source client shares.

- one ``requests.Session`` per process (re-created after a fork, so Celery's prefork
  children never share a connection pool with their parent);
- connect and read timeouts from the source's settings; a timeout or a refused connection
  is :class:`Transient`;
- retries with exponential backoff and full jitter on :class:`Transient` and
  :class:`RateLimited`, at most ``max_attempts`` tries, honouring a source's "retry after";
- a token bucket per source that is IN-PROCESS: ``rate_per_second`` (and ``burst``) in
  ``settings.SOURCES`` is the rate of one process, so with N worker processes set it to the
  source's quota divided by N;
- secrets never reach a log line or an exception text: :func:`redact` masks the signed
  parameters by name and :func:`scrub` masks any secret value that a message may echo.

``sleep`` and ``monotonic`` are module attributes so tests can patch them.
"""
from __future__ import annotations

import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests
from django.conf import settings

from .base import RateLimited, SourceError, Transient

logger = logging.getLogger("affiliates.sources")

sleep = time.sleep
monotonic = time.monotonic

#: parameter and header names whose values are never logged or shown (compared lower-case)
SECRET_NAMES = frozenset({
    "sign", "signinfo", "app_secret", "appsecret", "secret", "access_token", "accesstoken",
    "session", "authorization",
})
MASK = "***"

T = TypeVar("T")


def redact(mapping: Mapping[str, Any] | None) -> dict[str, Any]:
    """A copy of ``mapping`` with every secret-named value masked."""
    return {k: (MASK if str(k).lower() in SECRET_NAMES else v) for k, v in (mapping or {}).items()}


_SIGNED_QUERY_RE = re.compile(
    r"(?i)\b(" + "|".join(sorted(SECRET_NAMES, key=len, reverse=True)) + r")=([^&\s\"']+)")


def redact_query(text: str) -> str:
    """``...&sign=ABC&x=1`` → ``...&sign=***&x=1`` for every secret-named parameter."""
    return _SIGNED_QUERY_RE.sub(lambda m: f"{m.group(1)}={MASK}", text)


class RedactSignedQueries(logging.Filter):
    """Masks signed parameters in other libraries' log lines (urllib3 logs each request line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact_query(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


logging.getLogger("urllib3.connectionpool").addFilter(RedactSignedQueries())


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of a secret value masked."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    return text


# --- configuration -----------------------------------------------------------------------
@dataclass(frozen=True)
class SourceConfig:
    """One source's settings (``settings.SOURCES[<source>]``); the secret stays out of reprs."""

    source: str
    base_url: str
    app_key: str
    app_secret: str = field(repr=False)
    rate_per_second: float = 10.0
    burst: int = 10
    connect_timeout: float = 3.05
    read_timeout: float = 10.0
    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    #: everything else the source needs (adzone_id, site_id, sign_method, short_link_base…)
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, source: str) -> SourceConfig:
        raw = dict(settings.SOURCES[source])
        known = {f for f in cls.__dataclass_fields__ if f not in ("source", "options")}
        kwargs = {k: raw.pop(k) for k in list(raw) if k in known}
        return cls(source=source, options=raw, **kwargs)

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.app_secret,) + tuple(
            str(v) for k, v in self.options.items() if str(k).lower() in SECRET_NAMES
        )


# --- one session per process ----------------------------------------------------------------
_session: requests.Session | None = None
_session_pid: int | None = None
_session_lock = threading.Lock()


def get_session() -> requests.Session:
    """The process's shared session (tests mount their transport adapter on it)."""
    global _session, _session_pid
    with _session_lock:
        if _session is None or _session_pid != os.getpid():
            _session = requests.Session()
            _session.headers["User-Agent"] = "douyin-cart-sources/1.0"
            _session_pid = os.getpid()
        return _session


# --- rate limit -----------------------------------------------------------------------------
class TokenBucket:
    """Reserve-then-wait token bucket: a caller takes a token now and sleeps off any debt."""

    def __init__(self, rate: float, burst: int):
        self.rate = max(float(rate), 0.001)
        self.burst = max(int(burst), 1)
        self.tokens = float(self.burst)
        self.updated = monotonic()
        self.lock = threading.Lock()

    def take(self) -> float:
        with self.lock:
            now = monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            self.tokens -= 1
            wait = -self.tokens / self.rate if self.tokens < 0 else 0.0
        if wait > 0:
            sleep(wait)
        return wait


_buckets: dict[str, TokenBucket] = {}
_buckets_lock = threading.Lock()


def bucket_for(config: SourceConfig) -> TokenBucket:
    with _buckets_lock:
        bucket = _buckets.get(config.source)
        if bucket is None or (bucket.rate, bucket.burst) != (config.rate_per_second, config.burst):
            bucket = _buckets[config.source] = TokenBucket(config.rate_per_second, config.burst)
        return bucket


def reset_buckets() -> None:
    with _buckets_lock:
        _buckets.clear()


# --- the call loop -----------------------------------------------------------------------------
def backoff_delay(config: SourceConfig, attempt: int) -> float:
    """Full jitter: uniform in [0, min(max, base × 2^(attempt-1))], never below base/2."""
    ceiling = min(config.backoff_max, config.backoff_base * (2 ** (attempt - 1)))
    return max(config.backoff_base / 2, random.uniform(0, ceiling))


class Transport:
    """Sends one logical call (``send``) and reads it (``parse``) with retries and the limit."""

    def __init__(self, config: SourceConfig):
        self.config = config

    def __repr__(self) -> str:
        return f"<Transport {self.config.source} {self.config.base_url}>"

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.config.connect_timeout, self.config.read_timeout)

    def call(self, label: str, send: Callable[[requests.Session, tuple[float, float]], requests.Response],
             parse: Callable[[requests.Response], T]) -> T:
        config = self.config
        attempts = max(1, config.max_attempts)
        for attempt in range(1, attempts + 1):
            bucket_for(config).take()
            started = monotonic()
            try:
                error = None
                response = send(get_session(), self.timeout)
            except requests.Timeout:
                error = Transient(config.source, f"{label}: timed out", code="timeout")
            except requests.ConnectionError:
                error = Transient(config.source, f"{label}: connection failed", code="connection")
            if error is None:
                error = _http_error(config.source, label, response)
            if error is None:
                try:
                    result = parse(response)
                except SourceError as exc:
                    error = self._scrubbed(exc)
                    if not error.retryable:
                        logger.info("source %s %s refused: %s", config.source, label, error.message)
                        raise error
                except ValueError as exc:
                    raise self._scrubbed(SourceError(config.source, f"{label}: unreadable answer ({exc})",
                                                     code="bad_response"))
                else:
                    logger.debug("source %s %s ok in %.3fs (attempt %d)", config.source, label,
                                 monotonic() - started, attempt)
                    return result
            logger.warning("source %s %s attempt %d/%d failed: %s", config.source, label, attempt,
                           attempts, error.message)
            if attempt == attempts:
                raise error
            delay = backoff_delay(config, attempt)
            if isinstance(error, RateLimited) and error.retry_after:
                delay = max(delay, min(float(error.retry_after), config.backoff_max))
            sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _scrubbed(self, error: SourceError) -> SourceError:
        message = scrub(error.message, self.config.secrets)
        if message != error.message:
            error.message = message
            error.args = (f"[{error.source}] {message}",)
        return error


def _http_error(source: str, label: str, response: requests.Response) -> SourceError | None:
    status = response.status_code
    if status == 429:
        retry_after = response.headers.get("Retry-After")
        return RateLimited(source, f"{label}: HTTP 429", code="429",
                           retry_after=float(retry_after) if (retry_after or "").isdigit() else None)
    if status >= 500:
        return Transient(source, f"{label}: HTTP {status}", code=str(status))
    return None
