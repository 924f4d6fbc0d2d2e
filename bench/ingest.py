"""Pool ingest: products per second from the sandbox into PostgreSQL through the real sync path,
as a ratio to a plain batched ``INSERT … ON CONFLICT`` of the same rows in the same run.

The measured path is the production one: a pool-import ``SyncJob`` whose parts run
``sync_part_run`` (the Celery task's body) — the real client signs each request and talks HTTP
to the sandbox served by gunicorn on prod settings, parses the source's wire format, and
stores every page with ``product_upsert_many`` (search tokens, gate, content hash, set-based
upsert) together with the part's bookkeeping row. ``BENCH_INGEST_CONCURRENCY`` worker processes
(forked, like Celery's prefork pool) run the parts side by side. Then the same import again: unchanged data must
write 0 product rows (job counters and PostgreSQL's own tuple counters both reported).
The baseline reads the rows the sync stored back, deletes them and inserts them again with
batched ``INSERT … ON CONFLICT (source, external_id) DO UPDATE`` (1000 rows a statement). The
two take turns in ``BENCH_INGEST_ROUNDS`` (default 10) rounds so both see the same load.

Environment: ``BENCH_INGEST_PRODUCTS`` (default 100000), ``BENCH_INGEST_SOURCES`` (default
``taobao``; comma-separated, the products are split between them), ``BENCH_INGEST_CONCURRENCY``
(default 2). The client rate limits are lifted (the sandbox has no quota; real sources do).
"""
from __future__ import annotations

import json
import math
import multiprocessing
import os
import subprocess
import sys
import time

NAME = "ingest"
TARGET_RATIO = 0.3
_MARK = "INGEST-RESULT "


def run(ctx):
    from bench.__main__ import Row
    from bench.server import ROOT

    env = {**ctx.env, "BENCH_INGEST_CHILD": "1"}
    proc = subprocess.run([sys.executable, "-m", "bench.ingest"], cwd=ROOT, env=env, capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(_MARK)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"ingest benchmark failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    r = json.loads(lines[-1][len(_MARK):])
    ratio = r["sync_rate"] / r["baseline_rate"] if r["baseline_rate"] else 0.0
    verdict = "ok" if ratio >= TARGET_RATIO else "BELOW TARGET"
    resync_verdict = "ok" if r["resync_written"] == 0 and r["resync_pg_tuples"] == 0 else "ROWS WRITTEN"
    extra = {k: v for k, v in r.items() if k not in ("sync_rate", "baseline_rate")}
    return [
        Row(NAME, "baseline INSERT … ON CONFLICT rows/s", r["baseline_rate"], "rows/s", extra={"rows": r["rows"]}),
        Row(NAME, f"sync ingest products/s ({r['transport']})", r["sync_rate"], "rows/s",
            baseline="INSERT … ON CONFLICT", ratio=ratio, target=f"≥{TARGET_RATIO}× {verdict}", extra=extra),
        Row(NAME, "re-sync unchanged: product rows written", float(r["resync_written"]), "rows",
            target=f"= 0 {resync_verdict}",
            extra={"pg_tuples_written": r["resync_pg_tuples"], "seconds": r["resync_seconds"]}),
        Row(NAME, "re-sync unchanged products/s", r["resync_rate"], "rows/s"),
    ]


# --- the child: a Django process on the benchmark database -------------------------------------------
def _work(items: list[tuple[int, int]]) -> None:
    """One worker process (as a Celery prefork child would): store its share of the parts."""
    from django.db import connections

    from affiliates.sync.services import sync_part_run

    try:
        for job_id, number in items:
            sync_part_run(job_id=job_id, number=number)
    finally:
        connections.close_all()  # flushes this backend's table statistics too


def _child() -> dict:
    import django

    django.setup()
    from concurrent.futures import ThreadPoolExecutor

    from django.conf import settings
    from django.db import connection, connections
    from psycopg2.extras import execute_values

    from affiliates.models import Product
    from affiliates.sandbox import catalog
    from affiliates.search import index_tokens
    from affiliates.sources import get_client
    from affiliates.sources.http import reset_buckets
    from affiliates.sync.models import SyncJob
    from affiliates.sync.services import sync_job_start
    from bench.server import gunicorn

    total = int(os.environ.get("BENCH_INGEST_PRODUCTS", "100000"))
    sources = [s.strip() for s in os.environ.get("BENCH_INGEST_SOURCES", "taobao").split(",") if s.strip()]
    concurrency = max(1, int(os.environ.get("BENCH_INGEST_CONCURRENCY", "2")))
    rounds = max(1, int(os.environ.get("BENCH_INGEST_ROUNDS", "10")))
    per_source = math.ceil(total / len(sources))

    # A catalog whose hot-seller list (what a no-keyword pool import walks) holds enough items.
    settings.SANDBOX_CATALOG_SIZE = 10_000
    share = min(len(catalog.search(s)) for s in sources) / 10_000
    size = math.ceil(per_source / share * 1.03)
    settings.SANDBOX_CATALOG_SIZE = size

    plans = {}
    for source in sources:
        page_size = get_client(source).max_page_size
        plans[source] = (math.ceil(per_source / page_size), page_size)

    def clean():
        SyncJob.objects.filter(source__in=sources).delete()
        Product.objects.filter(source__in=sources).delete()

    def pg_tuples() -> int:
        connections.close_all()
        time.sleep(1.5)  # let every backend flush its table statistics
        with connection.cursor() as cursor:
            cursor.execute("SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables WHERE relname = %s",
                           [Product._meta.db_table])
            return int(cursor.fetchone()[0])

    def run_parts(work: list[tuple[int, int]]) -> float:
        connections.close_all()  # every worker process opens its own connection
        fork = multiprocessing.get_context("fork")
        workers = [fork.Process(target=_work, args=(work[i::concurrency],)) for i in range(concurrency)]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        seconds = time.perf_counter() - started
        if any(worker.exitcode for worker in workers):
            raise RuntimeError("an ingest worker process failed")
        return seconds

    def start_jobs() -> tuple[list[SyncJob], list[tuple[int, int]]]:
        jobs = [sync_job_start(kind="pool", source=s, pages=plans[s][0], page_size=plans[s][1], enqueue=False)
                for s in sources]
        return jobs, [(job.pk, n) for job in jobs for n in range(job.total)]

    fields = [f for f in Product._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    q = connection.ops.quote_name
    insert_sql = (f"INSERT INTO {q(Product._meta.db_table)} ({', '.join(q(c) for c in columns)}) VALUES %s "
                  f"ON CONFLICT ({q('source')}, {q('external_id')}) DO UPDATE SET "
                  + ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in columns if c not in ("source", "external_id")))

    def baseline(after_pk: int) -> tuple[float, int]:
        """The rows the sync just stored, deleted and inserted again with plain batched SQL."""
        stored = Product.objects.filter(source__in=sources, pk__gt=after_pk).order_by("source", "external_id")
        rows = [tuple(f.get_db_prep_save(getattr(p, f.attname), connection) for f in fields)
                for p in stored.iterator(2000)]
        stored.delete()
        connection.ensure_connection()
        raw = connection.connection
        started = time.perf_counter()
        with raw.cursor() as cursor:
            for start in range(0, len(rows), 1000):
                execute_values(cursor, insert_sql, rows[start:start + 1000], page_size=1000)
                raw.commit()
        return time.perf_counter() - started, len(rows)

    def last_pk() -> int:
        return Product.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    clean()
    with gunicorn({**os.environ, "SANDBOX_CATALOG_SIZE": str(size)}) as base:
        old = settings.SANDBOX_BASE_URL
        settings.SOURCES = {
            name: {**{k: (v.replace(old, base + "/sandbox", 1) if isinstance(v, str) and v.startswith(old) else v)
                      for k, v in config.items()}, "rate_per_second": 1e6, "burst": 1_000_000}
            for name, config in settings.SOURCES.items()
        }
        reset_buckets()
        index_tokens("预热分词词典", "")  # jieba loads its dictionary once per process
        # Every gunicorn worker computes the hot-seller list once; warm them before the clock.
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda s: get_client(s).search(page=1, page_size=10), sources * 8))

        # Sync and baseline take turns, round by round, so both see the same machine load.
        jobs, work = start_jobs()
        sync_seconds = baseline_seconds = 0.0
        rows = 0
        size_of_round = math.ceil(len(work) / rounds)
        for start in range(0, len(work), size_of_round):
            mark = last_pk()
            sync_seconds += run_parts(work[start:start + size_of_round])
            seconds, n = baseline(mark)
            baseline_seconds += seconds
            rows += n
        jobs = [SyncJob.objects.get(pk=j.pk) for j in jobs]
        created = sum(j.created_count for j in jobs)
        failed = [j.pk for j in jobs if j.status != "done"]
        if failed:
            raise RuntimeError(f"sync jobs did not finish: {failed}")

        # Re-sync of unchanged data: the same pages again.
        before = pg_tuples()
        rejobs, rework = start_jobs()
        resync_seconds = run_parts(rework)
        rejobs = [SyncJob.objects.get(pk=j.pk) for j in rejobs]
        resync_written = sum(j.created_count + j.updated_count for j in rejobs)
        resync_pg = pg_tuples() - before

    return {
        "transport": "HTTP to gunicorn (prod settings)", "sources": sources, "catalog_size": size,
        "concurrency": concurrency, "rounds": rounds, "rows": rows, "created": created, "requests": len(work),
        "sync_seconds": round(sync_seconds, 3), "sync_rate": created / sync_seconds,
        "baseline_seconds": round(baseline_seconds, 3), "baseline_rate": rows / baseline_seconds,
        "resync_written": resync_written, "resync_pg_tuples": resync_pg, "resync_seconds": round(resync_seconds, 3),
        "resync_rate": sum(j.unchanged_count for j in rejobs) / resync_seconds,
    }


if __name__ == "__main__" and os.environ.get("BENCH_INGEST_CHILD"):
    print(_MARK + json.dumps(_child()), flush=True)
