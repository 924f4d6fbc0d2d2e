"""Run the production stack (gunicorn, prod settings) on a free loopback port for a benchmark."""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def bench_env() -> dict:
    """The environment every benchmark runs in: PostgreSQL and Redis (defaults: local ones)."""
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/douyin_cart_bench")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
    env["DJANGO_SETTINGS_MODULE"] = "douyin_cart.settings.prod"
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    env["ALLOW_PLAIN_HTTP_ON_LOOPBACK"] = "1"
    env["BENCH_ENDPOINTS"] = "1"
    env["SANDBOX_ENABLED"] = "1"
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env["PYTHONPATH"] = str(ROOT)
    return env


def ensure_database(env: dict) -> None:
    """Create the benchmark database if it is missing, then migrate it."""
    url = env["DATABASE_URL"]
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1]
        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        exists = subprocess.run(["psql", admin_url, "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
                                capture_output=True, text=True).stdout.strip()
        if exists != "1":
            subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


# Peak resident memory (kB, the kernel's VmHWM) of each kind of process a run started, read just
# before each process is stopped: "web" (gunicorn workers), "worker" (the Celery worker's processes).
PEAK_KB: dict[str, int] = {}


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc; Linux)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return found


def record_peak(kind: str, pid: int) -> None:
    """Remember the largest VmHWM among ``pid``'s process tree under ``kind``."""
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    PEAK_KB[kind] = max(PEAK_KB.get(kind, 0), int(line.split()[1]))
        except OSError:
            continue


#: The worker's CPU priority, as `make serve` runs it (``nice -n 10``): on a machine that also
#: serves the buyers, background work (messages, commissions, sales counts) yields the CPU to
#: requests during a burst and catches up in the seconds after it (the orders rows print how long).
WORKER_NICE = 10


@contextmanager
def celery_worker(env: dict):
    """A Celery worker (as `make serve` starts it, concurrency 2, ``nice`` 10) for the whole run:
    the outbox's hand-overs, messages, commissions and sweeps run while the benchmarks measure."""
    # Tasks an earlier run left in the bench broker (outbox hand-overs, payment deadlines) would
    # be worked off during this run's measurements: dropped first.
    subprocess.run([str(VENV_BIN / "celery"), "-A", "douyin_cart", "purge", "-f"], cwd=ROOT, env=env,
                   capture_output=True, timeout=60)
    proc = subprocess.Popen(["nice", "-n", str(WORKER_NICE), str(VENV_BIN / "celery"), "-A", "douyin_cart", "worker", "-l", "warning",
                             "--concurrency", "2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)
        if proc.poll() is not None:
            raise RuntimeError("the Celery worker exited at start")
        yield proc
    finally:
        record_peak("worker", proc.pid)
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def machine() -> str:
    """The machine a run measured: CPU model, cores, memory."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    mem_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), 0)
    return f"{model}, {os.cpu_count()} cores, {mem_kb / 1024 / 1024:.0f} GiB"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env: dict, workers: int | None = None, threads: int | None = None,
             worker_connections: int | None = None):
    """gunicorn.conf.py as `make serve` runs it: its defaults unless a figure is given here."""
    port = free_port()
    run_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    for name, value in (("GUNICORN_WORKERS", workers), ("GUNICORN_THREADS", threads),
                        ("GUNICORN_WORKER_CONNECTIONS", worker_connections)):
        if value:
            run_env[name] = str(value)
        else:
            run_env.pop(name, None)
    proc = subprocess.Popen([str(VENV_BIN / "gunicorn"), "douyin_cart.wsgi:application", "-c", "gunicorn.conf.py"],
                            cwd=ROOT, env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/bench/hello", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("gunicorn exited: " + proc.stderr.read().decode()[-2000:])
                time.sleep(0.2)
        yield base
    finally:
        record_peak("web", proc.pid)
        proc.terminate()
        proc.wait(15)
