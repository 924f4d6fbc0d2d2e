"""HTTP load with wrk (Debian package): requests/second and latency percentiles."""
from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass, field

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


@dataclass
class LoadResult:
    url: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    runs: list[LoadResult] = field(default_factory=list)  # the runs a median was taken over

    def ratio_to(self, baseline: LoadResult) -> float:
        return self.rps / baseline.rps if baseline.rps else 0.0


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    return float(m[1]) * _UNITS[m[2]] if m else float("nan")


def run(url: str, *, connections: int = 32, seconds: int = 10, threads: int = 2) -> LoadResult:
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed: apt-get install wrk (make bench does it)")
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    # The "Latency Distribution" lines (anchored: the thread table's "+/- Stdev" column ends in % too).
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", out, re.M)[1])
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", out, re.M)[1])
    total = int(re.search(r"(\d+) requests in", out)[1])
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m[1])
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(g) for g in m.groups())
    return LoadResult(url=url, rps=rps, p50_ms=p50, p99_ms=p99, requests=total, errors=errors)


def run_median(url: str, *, runs: int = 3, **kwargs) -> LoadResult:
    """``runs`` back-to-back runs; the median of each figure (rps, p50, p99) is reported, so one
    run disturbed by something else on a shared two-core machine does not decide a verdict."""
    results = [run(url, **kwargs) for _ in range(runs)]
    return LoadResult(url=url, rps=statistics.median(r.rps for r in results),
                      p50_ms=statistics.median(r.p50_ms for r in results),
                      p99_ms=statistics.median(r.p99_ms for r in results),
                      requests=sum(r.requests for r in results), errors=sum(r.errors for r in results),
                      runs=results)
