"""HTTP load with wrk (Debian package): requests/second and latency percentiles."""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


@dataclass
class LoadResult:
    url: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int

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
    p50 = _ms(re.search(r"50%\s+(\S+)", out)[1])
    p99 = _ms(re.search(r"99%\s+(\S+)", out)[1])
    total = int(re.search(r"(\d+) requests in", out)[1])
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m[1])
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(g) for g in m.groups())
    return LoadResult(url=url, rps=rps, p50_ms=p50, p99_ms=p99, requests=total, errors=errors)
