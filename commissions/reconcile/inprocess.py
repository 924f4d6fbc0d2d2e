"""The sandbox answering in this process (no server up: ``seed_demo``, ``reconcile --in-process``):
the ``InProcessSandbox`` transport mounted on the sources' and the statement's HTTP sessions for
the sandbox's own addresses, and only while the block runs."""
from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings

from affiliates.sandbox.inprocess import InProcessSandbox
from affiliates.sources.http import get_session
from orders.payments import statement_session


@contextmanager
def sandbox_in_process():
    if not settings.SANDBOX_ENABLED:
        yield False
        return
    from orders import conf as orders_conf

    mounts = [(get_session(), settings.SANDBOX_BASE_URL.rstrip("/") + "/"),
              (statement_session(), (orders_conf.get("PAYMENT_SANDBOX_BASE_URL") or settings.SITE_BASE_URL).rstrip("/")
               + "/")]
    for session, prefix in mounts:
        session.mount(prefix, InProcessSandbox())
    try:
        yield True
    finally:
        for session, prefix in mounts:
            session.adapters.pop(prefix, None)
