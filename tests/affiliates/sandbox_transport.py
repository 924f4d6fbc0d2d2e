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
from django.test import Client
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

TESTSERVER = "http://testserver"
_SKIP_HEADERS = {"content-length", "content-type", "host", "connection", "accept-encoding"}


class DjangoTestAdapter(BaseAdapter):
    """``requests`` → Django test client. ``calls`` records (method, path) of every request,
    ``requests`` the prepared requests themselves (to inspect what a client signed)."""

    def __init__(self):
        super().__init__()
        self.client = Client()
        self.calls: list[tuple[str, str]] = []
        self.requests: list[requests.PreparedRequest] = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _SKIP_HEADERS}
        self.calls.append((request.method, parts.path))
        self.requests.append(request)
        answer = self.client.generic(
            request.method, path, data=body,
            content_type=request.headers.get("Content-Type", "application/octet-stream"), headers=headers,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(answer.items())
        response._content = b"".join(answer) if answer.streaming else answer.content
        response.encoding = get_encoding_from_headers(response.headers)
        response.url = request.url
        response.request = request
        response.reason = answer.reason_phrase
        return response

    def close(self):
        pass


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
