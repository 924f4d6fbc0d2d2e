"""`python -m bench [--only NAME ...] [--seconds N] [--smoke]`: run the benchmarks, print ratios.

Each benchmark module in bench/ exposes ``NAME`` and ``run(ctx) -> list[Row]``; rows are
printed as a table and written to bench/results/<timestamp>.json.

``--smoke`` runs every benchmark at a toy size (one second per load, a few thousand rows, a
hundred flash-sale buyers) to prove the whole run works, in about two minutes; its figures mean
nothing and go to bench/results/smoke-<timestamp>.json. ``tests/core/test_bench_story.py`` runs it.
"""
from __future__ import annotations

import argparse
import importlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.server import PEAK_KB, bench_env, celery_worker, ensure_database, machine

MODULES = ["bench.http_pages", "bench.ingest", "bench.orders", "bench.settle"]

#: the toy sizes of ``--smoke`` (each module reads its own from the environment)
SMOKE_SIZES = {
    "BENCH_INGEST_PRODUCTS": "2000", "BENCH_INGEST_ROUNDS": "1",
    "BENCH_ORDERS_MANY": "20", "BENCH_FLASH_BUYERS": "100", "BENCH_FLASH_STOCK": "10",
    "BENCH_SETTLE_LINES": "2000", "BENCH_SETTLE_CREATORS": "50", "BENCH_SETTLE_ROUNDS": "1",
    "BENCH_ORDERS_DRAIN_SECONDS": "60",
}


@dataclass
class Row:
    benchmark: str
    measure: str
    value: float
    unit: str
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Context:
    env: dict
    seconds: int
    runs: int = 3


def _show(row: Row) -> None:
    ratio = f"{row.ratio:.3g}× {row.baseline}" if row.ratio is not None else ""
    print(f"  {row.measure:<48} {row.value:>12.2f} {row.unit:<8} {ratio:<28} {row.target}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", action="append", help="run only these benchmarks (by NAME)")
    parser.add_argument("--seconds", type=int, default=10, help="duration of each HTTP load run")
    parser.add_argument("--runs", type=int, default=3, help="HTTP load runs per figure (the median is reported)")
    parser.add_argument("--smoke", action="store_true",
                        help="every benchmark at a toy size, to prove the run works (figures mean nothing)")
    args = parser.parse_args()
    env = bench_env()
    if args.smoke:
        args.seconds, args.runs = 1, 1
        for name, value in SMOKE_SIZES.items():
            env.setdefault(name, value)
    ensure_database(env)
    ctx = Context(env=env, seconds=args.seconds, runs=args.runs)
    rows: list[Row] = []
    print(f"machine: {machine()}", flush=True)
    with celery_worker(env):  # the worker runs through every benchmark, as in production
        for module_name in MODULES:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name == module_name:
                    continue
                raise
            if args.only and module.NAME not in args.only:
                continue
            print(f"== {module.NAME}", flush=True)
            for row in module.run(ctx):
                _show(row)
                rows.append(row)
    print("== memory", flush=True)
    for kind, label in (("web", "web (gunicorn worker)"), ("worker", "Celery worker process"),
                        ("harness", "orders harness process (in-process web)")):
        if kind in PEAK_KB:
            row = Row("memory", f"peak RSS, largest {label}", PEAK_KB[kind] / 1024, "MiB")
            _show(row)
            rows.append(row)
    out_dir = Path(__file__).parent / "results"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / time.strftime(("smoke-" if args.smoke else "") + "%Y%m%d-%H%M%S.json")
    out.write_text(json.dumps({"machine": machine(), "smoke": args.smoke, "rows": [asdict(r) for r in rows]},
                              ensure_ascii=False,
                              indent=2))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
