"""``make bench`` tells the whole story (issue 13): one run measures the pages, ingest, orders and
the flash sale, and settlement, with the Celery worker running through it, and ends with the peak
memory of the web and worker processes and the machine it ran on.

This runs ``python -m bench --smoke`` — every benchmark at a toy size, its figures meaningless —
on its own PostgreSQL database and Redis db, and checks that every part of the story is there.

Mutations tried (each fails this test, 2026-12-04):

- ``bench/__main__.py`` without ``with celery_worker(env):`` around the benchmarks: the orders
  rows wait in vain for their events, the run has no Celery worker memory row, and the test fails
  with ``assert (... 'Celery worker process' in 'peak RSS, largest web (gunicorn worker) peak RSS,
  largest orders harness process (in-process web)')``.
- ``bench/server.py``'s worker started with ``-Q nobody`` (running, but working off nothing): the
  memory rows are all there, and the test fails on the events left behind:
  ``AssertionError: {'after hot': {'seconds': 60.3, 'events_left': 96}, 'after many': ...}``.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.worker  # the bench starts its own Celery worker (and gunicorn)


@pytest.fixture
def bench_env():
    url, redis = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not url.startswith("postgres") or not redis:
        pytest.skip("the benchmarks run on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
    if not shutil.which("wrk"):
        pytest.skip("the page benchmarks load the server with wrk (apt-get install wrk)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BENCH_", "DJANGO_SETTINGS"))}
    env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/douyin_cart_bench_smoke"
    env["REDIS_URL"] = redis.rsplit("/", 1)[0] + "/14"
    return env


def test_make_bench_reports_every_benchmark_with_the_worker_running_and_peak_memory(bench_env):
    run = subprocess.run([sys.executable, "-m", "bench", "--smoke"], cwd=ROOT, env=bench_env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert run.stdout.startswith("machine: ") and "cores" in run.stdout.splitlines()[0]
    path = Path(run.stdout.strip().splitlines()[-1].removeprefix("results: "))
    assert path.name.startswith("smoke-")
    result = json.loads(path.read_text())
    path.unlink()
    rows = result["rows"]
    by_bench: dict[str, list[dict]] = {}
    for row in rows:
        by_bench.setdefault(row["benchmark"], []).append(row)
    assert set(by_bench) == {"http", "ingest", "orders", "settle", "memory"}, set(by_bench)
    for name in ("http", "ingest", "orders", "settle"):
        for row in by_bench[name]:
            if "rows written" in row["measure"]:  # a re-sync of unchanged data writes nothing
                assert row["value"] == 0, row
            else:
                assert row["value"] > 0, row
    pages = " ".join(row["measure"] for row in by_bench["http"])
    assert "showcase page" in pages and "seeding page" in pages
    orders = {row["measure"].split(" (")[0]: row for row in by_bench["orders"]}
    assert any(m.startswith("place+pay one hot product") for m in orders)
    flash = next(row for row in by_bench["orders"] if row["measure"].startswith("flash sale"))
    assert flash["extra"]["orders"] == flash["extra"]["stock"] == 10 and flash["extra"]["final_stock"] == 0
    assert flash["extra"]["refused"] == 90 and flash["extra"]["other"] == 0
    memory = " ".join(row["measure"] for row in by_bench["memory"])
    assert "gunicorn worker" in memory and "Celery worker process" in memory
    assert all(row["value"] > 10 for row in by_bench["memory"])  # MiB
    # the worker did work while the bench measured: the orders rows' events were worked off
    drain = flash["extra"]["worker_drain"]
    assert drain and all(wait["events_left"] == 0 for wait in drain.values()), drain
    assert result["machine"] and result["smoke"] is True
