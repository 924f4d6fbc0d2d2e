"""HTTP throughput of the shopper-facing pages against two baselines served by the same
gunicorn in the same run: a hello-JSON view and a one-query view (32 connections).

Every figure is the median of ``--runs`` runs (default 3) of ``--seconds`` each; the rows'
``extra`` keep each run's requests/s and p99. The server is the production gunicorn setup
(gthread workers) with ``worker_connections`` capped at 10 per worker: gthread workers accept
greedily, and without a cap two of the four workers took all 32 connections while the other two
idled (measured), which decides the p99 of every page and baseline alike."""
from __future__ import annotations

from bench import load
from bench.server import gunicorn

NAME = "http"

# (label, path, baseline, target ratio, p99 limit in ms); pages register here as they land.
# A path in braces is filled from bench/fixtures.py, which creates its data before the server starts.
PAGES: list[tuple[str, str, str, float, float | None]] = [
    ("showcase page, 20 products (anonymous)", "{showcase_page}", "one-query", 0.5, 50.0),
    ("seeding page (anonymous)", "{seeding_page}", "one-query", 0.5, 50.0),
    ("video product list JSON", "{video_products}", "hello", 0.7, None),
    ("live now-explaining poll", "{live_explaining}", "hello", 0.7, None),
]


def run(ctx):
    from bench import fixtures
    from bench.__main__ import Row

    paths = fixtures.create(ctx.env)
    rows = []
    with gunicorn(ctx.env) as base:  # make serve's own defaults (gunicorn.conf.py)
        load.run(base + "/bench/hello", seconds=2)  # warm up the workers
        baselines = {
            "hello": load.run_median(base + "/bench/hello", seconds=ctx.seconds, runs=ctx.runs),
            "one-query": load.run_median(base + "/bench/one-query", seconds=ctx.seconds, runs=ctx.runs),
        }
        for name, res in baselines.items():
            rows.append(Row(NAME, f"baseline {name} req/s (p99 {res.p99_ms:.1f} ms)", res.rps, "req/s",
                            extra=_extra(res)))
        for label, path, baseline, target, p99_limit in PAGES:
            path = path.format(**paths)
            load.run(base + path, seconds=1)  # fill the caches the page reads
            res = load.run_median(base + path, seconds=ctx.seconds, runs=ctx.runs)
            ratio = res.ratio_to(baselines[baseline])
            verdict = "ok" if ratio >= target and (p99_limit is None or res.p99_ms <= p99_limit) else "BELOW TARGET"
            goal = f"≥{target}×" + (f", p99≤{p99_limit:g}ms" if p99_limit else "")
            rows.append(Row(NAME, f"{label} req/s (p99 {res.p99_ms:.1f} ms)", res.rps, "req/s",
                            baseline=baseline, ratio=ratio, target=f"{goal} {verdict}",
                            extra=_extra(res)))
    return rows


def _extra(res) -> dict:
    return {"p99_ms": res.p99_ms, "errors": res.errors,
            "runs": [{"rps": round(r.rps, 1), "p99_ms": r.p99_ms} for r in res.runs]}
