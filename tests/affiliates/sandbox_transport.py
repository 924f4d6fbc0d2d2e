"""Run the source clients against the sandbox inside the test process.

``DjangoTestAdapter`` is a ``requests`` transport adapter that hands every request for
``http://testserver/`` to Django's test ``Client`` — same process, same database connection
and transaction as the test, no server thread. The ``sandbox`` fixture mounts it on the
clients' shared session and points ``settings.SOURCES`` at ``http://testserver/sandbox/…``;
``no_sleep`` makes the retry/backoff and rate-limit waits instant and records them.

Reuse from any test folder::

    from tests.affiliates.sandbox_transport import no_sleep, sandbox  # noqa: F401 (fixtures)

    def test_something(sandbox):
        client = get_client("jd")
        ...
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from affiliates.sandbox.inprocess import InProcessSandbox

TESTSERVER = "http://testserver"


class DjangoTestAdapter(InProcessSandbox):
    """``requests`` → Django test client. ``calls`` records (method, path) of every request,
    ``requests`` the prepared requests themselves (to inspect what a client signed)."""

    def __init__(self):
        super().__init__()
        self.calls: list[tuple[str, str]] = []
        self.requests: list[requests.PreparedRequest] = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        self.calls.append((request.method, urlsplit(request.url).path))
        self.requests.append(request)
        return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies)


def point_sources_at(settings, root: str = TESTSERVER, *, rate_per_second: float = 1000.0) -> None:
    """Rewrite ``settings.SOURCES`` so every sandbox URL uses ``root`` instead of the
    configured ``SANDBOX_BASE_URL`` host (and a rate limit that never waits)."""
    old = settings.SANDBOX_BASE_URL
    new = root.rstrip("/") + "/sandbox"
    sources = {}
    for name, config in settings.SOURCES.items():
        sources[name] = {k: (v.replace(old, new, 1) if isinstance(v, str) and v.startswith(old) else v)
                         for k, v in config.items()}
        sources[name].update(rate_per_second=rate_per_second, burst=int(rate_per_second))
    settings.SOURCES = sources


@pytest.fixture
def sandbox(settings, db):
    """The five clients talk to the in-process sandbox; yields the adapter (``.calls``)."""
    from affiliates.sources.http import get_session, reset_buckets

    settings.SANDBOX_FAULTS = {}
    point_sources_at(settings)
    reset_buckets()
    adapter = DjangoTestAdapter()
    session = get_session()
    session.mount(f"{TESTSERVER}/", adapter)
    try:
        yield adapter
    finally:
        session.adapters.pop(f"{TESTSERVER}/", None)
        reset_buckets()


@pytest.fixture
def no_sleep(monkeypatch):
    """Instant backoff and rate-limit waits; the list holds every requested delay."""
    from affiliates.sources import http

    slept: list[float] = []
    monkeypatch.setattr(http, "sleep", slept.append)
    return slept
