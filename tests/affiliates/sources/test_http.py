"""The shared HTTP layer: retries, backoff, rate limits, timeouts, and secrets kept secret."""
import logging
import re
import socket
import threading

import pytest
import requests

from affiliates.sources import get_client, http
from affiliates.sources.base import BadSignature, RateLimited, Transient
from affiliates.sources.http import SourceConfig, TokenBucket, redact, scrub


def _config(**kw):
    base = dict(source="taobao", base_url="http://x", app_key="k", app_secret="topsecret-value")
    return SourceConfig(**{**base, **kw})


def test_transient_5xx_is_retried_until_it_succeeds(sandbox, no_sleep, settings):
    settings.SANDBOX_FAULTS = {"taobao": {"error_5xx_every": 2}}  # calls 2, 4, … fail
    client = get_client("taobao")
    client.search(page_size=1)  # call 1 ok
    page = client.search(page_size=1)  # call 2 fails, call 3 ok
    assert page.items
    assert len(no_sleep) == 1 and no_sleep[0] > 0


def test_persistent_5xx_gives_up_after_max_attempts_with_transient(sandbox, no_sleep, settings):
    settings.SANDBOX_FAULTS = {"taobao": {"error_5xx_every": 1}}
    with pytest.raises(Transient):
        get_client("taobao").search(page_size=1)
    attempts = settings.SOURCES["taobao"]["max_attempts"]
    assert len(sandbox.calls) == attempts and len(no_sleep) == attempts - 1


def test_backoff_grows_exponentially_within_its_ceiling():
    config = _config(backoff_base=0.5, backoff_max=8.0)
    for attempt in range(1, 8):
        ceiling = min(8.0, 0.5 * 2 ** (attempt - 1))
        delays = [http.backoff_delay(config, attempt) for _ in range(50)]
        assert all(0.25 <= d <= max(ceiling, 0.25) for d in delays)


def test_rate_limit_answer_is_retried_after_the_ban_it_announces(sandbox, no_sleep, settings):
    settings.SANDBOX_FAULTS = {"taobao": {"rate_limit_every": 2}}
    client = get_client("taobao")
    client.search(page_size=1)
    assert client.search(page_size=1).items
    # TOP says "This ban will last for 1 more seconds": the wait is at least that.
    assert len(no_sleep) == 1 and no_sleep[0] >= 1.0


def test_rate_limit_that_never_lifts_raises_rate_limited(sandbox, no_sleep, settings):
    settings.SANDBOX_FAULTS = {"taobao": {"rate_limit_every": 1}}
    with pytest.raises(RateLimited) as limited:
        get_client("taobao").search(page_size=1)
    assert limited.value.code == "accesscontrol.limited-by-api-access-count"


def test_token_bucket_makes_the_caller_wait_once_the_burst_is_spent(monkeypatch):
    clock = [100.0]
    slept = []
    monkeypatch.setattr(http, "monotonic", lambda: clock[0])
    monkeypatch.setattr(http, "sleep", slept.append)
    bucket = TokenBucket(rate=2, burst=2)
    assert [bucket.take(), bucket.take()] == [0.0, 0.0]
    assert bucket.take() == pytest.approx(0.5)
    clock[0] += 10  # refilled, but never beyond the burst
    assert [bucket.take(), bucket.take()] == [0.0, 0.0]
    assert bucket.take() == pytest.approx(0.5)
    assert slept == [pytest.approx(0.5), pytest.approx(0.5)]


def test_each_source_has_its_own_bucket(settings):
    http.reset_buckets()
    assert http.bucket_for(_config(source="taobao")) is not http.bucket_for(_config(source="jd"))


@pytest.fixture
def silent_server():
    """A socket that accepts connections and never answers (a gateway that hangs)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def test_timeout_raises_transient(settings, no_sleep, silent_server):
    settings.SOURCES = {**settings.SOURCES, "taobao": {**settings.SOURCES["taobao"], "read_timeout": 0.05,
                        "max_attempts": 2, "base_url": f"{silent_server}/router/rest"}}
    with pytest.raises(Transient) as failed:
        get_client("taobao").search(page_size=1)
    assert failed.value.code == "timeout" and len(no_sleep) == 1


def test_unreachable_gateway_raises_transient(settings, no_sleep):
    settings.SOURCES = {**settings.SOURCES, "taobao": {**settings.SOURCES["taobao"],
                        "base_url": "http://127.0.0.1:9/router/rest", "max_attempts": 2}}
    with pytest.raises(Transient):
        get_client("taobao").search(page_size=1)


def test_wrong_secret_is_a_bad_signature_and_the_secret_is_never_shown(sandbox, settings, caplog):
    secret = "wrong-secret-ABCDEF-123456"
    settings.SOURCES["taobao"]["app_secret"] = secret
    caplog.set_level(logging.DEBUG)
    client = get_client("taobao")
    with pytest.raises(BadSignature) as refused:
        client.search(page_size=1)
    assert refused.value.code == "25"
    shown = [str(refused.value), repr(refused.value), refused.value.message, repr(client),
             repr(client.config), caplog.text]
    assert not any(secret in text for text in shown)
    assert not any(client.config.app_key in rec.getMessage() and "sign=" in rec.getMessage()
                   for rec in caplog.records)


def test_secret_echoed_by_a_source_is_masked_in_the_error(sandbox, settings, monkeypatch):
    from affiliates.sources import taobao as module

    secret = settings.SOURCES["taobao"]["app_secret"]
    monkeypatch.setattr(module, "_error", lambda e: module.SourceError("taobao", f"bad request with {secret}"))
    settings.SOURCES["taobao"]["app_key"] = "unknown-app"
    with pytest.raises(module.SourceError) as refused:
        get_client("taobao").search(page_size=1)
    assert secret not in str(refused.value) and "***" in str(refused.value)


def test_redact_masks_every_signed_parameter_by_name():
    masked = redact({"sign": "A", "app_secret": "B", "signInfo": "C", "access_token": "D", "session": "E",
                     "method": "m"})
    assert masked == {"sign": "***", "app_secret": "***", "signInfo": "***", "access_token": "***",
                      "session": "***", "method": "m"}
    assert scrub("key=topsecret-value&x=1", ["topsecret-value"]) == "key=***&x=1"


def test_config_repr_hides_the_secret():
    assert "topsecret-value" not in repr(_config())


def test_one_session_per_process_is_shared_by_all_clients():
    assert http.get_session() is http.get_session()
    assert isinstance(http.get_session(), requests.Session)


@pytest.mark.django_db(transaction=True)
def test_signed_query_strings_are_masked_in_urllib3_request_logs(live_server, settings, caplog):
    from tests.affiliates.sandbox_transport import point_sources_at

    point_sources_at(settings, live_server.url)
    caplog.set_level(logging.DEBUG, logger="urllib3.connectionpool")
    try:
        get_client("vip").search(page_size=1)  # Vipshop signs in the query string
    finally:
        http.get_session().close()  # no keep-alive connection outlives the live server
    assert "sign=***" in caplog.text
    assert re.search(r"sign=[0-9A-F]{32}", caplog.text) is None
