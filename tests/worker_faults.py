"""What the tests that kill a real Celery worker share: SIGKILL the worker with its pool
processes (no warm shutdown, no acks), and poll until something happened or give up."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


def kill_hard(proc) -> None:
    """kill -9 the worker and its pool processes at once: no shutdown, no ack, no requeue."""
    children = descendants(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    for child in children:
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(10)


def wait_for(predicate, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")
