"""Shared fixtures: API clients, a Playwright browser on Debian's Chromium, a real
Celery worker process for the tests that need one."""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):
    """Every test starts with an empty cache and writes uploads to its own folder."""
    from django.core.cache import cache

    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_worker_memory(settings):
    """The shopper pages' half-second in-process copy is off, so each test sees its edits at once
    (tests/showcase/test_hot_json.py pins the copy itself)."""
    from showcase.cache import worker_copy

    settings.SHOWCASE_HOT_LOCAL_SECONDS = 0
    worker_copy.clear()
    yield
    worker_copy.clear()


@pytest.fixture(autouse=True, scope="session")
def _api_answers_match_the_schema():
    """Every /api/v1/ answer a test receives must be one the OpenAPI schema documents: route,
    status and body (tests/openapi_conformance.py). The test that gets another answer fails."""
    from django.test.client import Client

    from tests.openapi_conformance import check_response

    original = Client.request

    def request(self, **kwargs):
        response = original(self, **kwargs)
        problems = check_response(response)
        if problems:
            raise AssertionError("The API answered other than its OpenAPI schema says:\n" + "\n".join(problems))
        return response

    Client.request = request
    yield
    Client.request = original


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def browser():
    """A headless Chromium (Debian's) driven by Playwright; skipped where it is missing."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (make browser installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    from django.db import connections

    had_flag = "DJANGO_ALLOW_ASYNC_UNSAFE" in os.environ
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Playwright's sync API runs an event loop in this thread: close Django's connections
    # before and after, so none outlives the test and blocks dropping the test database.
    connections.close_all()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )
        try:
            yield b
        finally:
            b.close()
            connections.close_all()
            if not had_flag:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page_factory(browser):
    """New phone-sized pages in a given language: ``page_factory(lang="en")``."""
    contexts = []

    def make(lang="zh-hans", desktop=False):
        ctx = browser.new_context(
            viewport={"width": 1366, "height": 900} if desktop else {"width": 390, "height": 844},
            locale=lang, extra_http_headers={"Accept-Language": lang},
        )
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real Celery worker (separate process) on the test database and the real broker.

    Skipped without REDIS_URL (eager mode has no broker). Yields the Popen so a test can
    kill it; a fresh worker can be started with ``start()``.
    """
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL: a real worker needs a broker")
    db = settings.DATABASES["default"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "douyin_cart.settings.test_worker",
           "TEST_WORKER_DB_NAME": db["NAME"], "PYTHONPATH": str(ROOT)}
    procs = []
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"

    def start(queues="celery", concurrency=1, extra_env=None):
        """``extra_env``: more environment for this worker (e.g. SANDBOX_BASE_URL=live_server.url)."""
        proc = subprocess.Popen(
            [celery, "-A", "douyin_cart", "worker", "-l", "warning", "-Q", queues,
             "--concurrency", str(concurrency), "--pool", "prefork", "--without-heartbeat",
             "--without-gossip", "--without-mingle"],
            cwd=ROOT, env={**env, **(extra_env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        procs.append(proc)
        time.sleep(0.5)
        return proc

    from celery import current_app

    from core.cache_redis import cache_redis
    from core.outbox import DRAIN_FLAG, PENDING_KEY

    if (redis := cache_redis()) is not None:  # an earlier test's waiting ids name rows of its own database
        redis.delete(PENDING_KEY, DRAIN_FLAG)
    start.procs = procs
    current_app.conf.task_always_eager = False
    try:
        yield start
    finally:
        current_app.conf.task_always_eager = True
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
