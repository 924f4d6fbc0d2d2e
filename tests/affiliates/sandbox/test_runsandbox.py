"""``manage.py runsandbox`` serves the sandbox and nothing else, and clients work against it."""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from affiliates.sandbox import catalog
from affiliates.sources import get_client
from affiliates.sources.http import get_session
from tests.affiliates.sandbox_transport import point_sources_at

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sandbox_server():
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "douyin_cart.settings.test", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "manage.py", "runsandbox", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                requests.get(f"{url}/sandbox/orders/x", timeout=1)
                break
            except requests.ConnectionError:
                if proc.poll() is not None:
                    pytest.fail("runsandbox exited")
                time.sleep(0.1)
        yield url
    finally:
        get_session().close()
        proc.terminate()
        proc.wait(10)


def test_runsandbox_serves_the_gateways_to_a_real_client(sandbox_server, settings):
    point_sources_at(settings, sandbox_server)
    page = get_client("taobao").search(keyword="四件套", page_size=3)
    assert page.items and all(url.startswith(sandbox_server) for p in page.items for url in p.image_urls)
    image = requests.get(page.items[0].image_urls[0], timeout=5)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/svg+xml"


def test_runsandbox_serves_only_the_sandbox(sandbox_server):
    assert requests.get(f"{sandbox_server}/admin/", timeout=5).status_code == 404
    assert requests.get(f"{sandbox_server}/healthz", timeout=5).status_code == 404
    item = catalog.item("jd", 1)
    assert requests.get(f"{sandbox_server}/sandbox/jd/item/{item.external_id}", timeout=5).status_code == 200


def test_runsandbox_serves_absolute_uri_request_lines_as_jd_sdks_send_them(sandbox_server):
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(sandbox_server)
    item = catalog.item("jd", 2)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        connection.request("GET", f"{sandbox_server}/sandbox/jd/item/{item.external_id}")  # GET http://host/path
        answer = connection.getresponse()
        assert answer.status == 200 and item.title in answer.read().decode()
    finally:
        connection.close()
