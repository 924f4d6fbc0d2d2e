"""What every gateway twin shares: sandbox credentials, fault injection and paging.

Faults come from ``settings.SANDBOX_FAULTS`` (tests override it per test)::

    SANDBOX_FAULTS = {"jd": {"rate_limit_every": 3, "error_5xx_every": 2, "delay_ms": 0,
                             "truncate_pages": True, "has_more_lies": False}}

- ``rate_limit_every: N`` — every Nth API call of the source gets the source's own
  rate-limit answer; ``error_5xx_every: N`` — every Nth call gets an HTTP 503 page (checked
  after the rate limit, on the same per-source call counter, kept in the cache);
- ``delay_ms`` — every API call sleeps that long first (for timeouts);
- ``truncate_pages`` — every page holds one row fewer than asked while ``has_more`` stays
  truthful (pages then simply start one row earlier each), so a reader that stops at the
  first short page loses rows and one that follows ``has_more`` does not;
- ``has_more_lies`` — the last non-empty page still says there is more (the next is empty).

Reconciliation faults touch only the day report — orders asked for by the time they were
placed, what ``commissions.reconcile`` reads — never the incremental feed by update time that
the sync reads, so the two disagree as a source's settlement report can disagree with its feed
(and leaving them set does not corrupt what the sync stores). Deterministic per order id:

- ``recon_drop: ["<order id>", ...]`` — those orders are left out of the day report;
  ``recon_drop_every: N`` — so is every order whose id hashes to 0 modulo N;
- ``recon_alter: {"<order id>": fen}`` — those orders' commission (estimated, and settled
  once settled) is reported that many fen off; ``recon_alter_every: N`` alters every order
  whose id hashes to 0 modulo N by ``recon_alter_fen`` (default −100).

The payment sandbox's statement (对账单, ``orders/sandbox_statement.py``) reads the same
``recon_*`` keys under ``"payment"``, keyed by our trade or refund number.

The key ``"*"`` applies to every source.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse

FAULT_RATE_LIMIT = "rate_limit"
FAULT_5XX = "error_5xx"


def secret_for(source: str, app_key: str) -> str | None:
    """The sandbox secret of ``app_key``, or None when the key is not a sandbox app."""
    creds = settings.SANDBOX_CREDENTIALS.get(source, {})
    return creds.get("app_secret") if app_key and app_key == creds.get("app_key") else None


def faults(source: str) -> dict:
    configured = getattr(settings, "SANDBOX_FAULTS", {}) or {}
    return {**configured.get("*", {}), **configured.get(source, {})}


def inject(source: str) -> str | None:
    """Count this API call and answer which fault (if any) it should suffer."""
    config = faults(source)
    if not config:
        return None
    if config.get("delay_ms"):
        time.sleep(int(config["delay_ms"]) / 1000)
    every_rl = int(config.get("rate_limit_every") or 0)
    every_5xx = int(config.get("error_5xx_every") or 0)
    if not (every_rl or every_5xx):
        return None
    key = f"sandbox:faults:{source}:calls"
    cache.add(key, 0, None)
    n = cache.incr(key)
    if every_rl and n % every_rl == 0:
        return FAULT_RATE_LIMIT
    if every_5xx and n % every_5xx == 0:
        return FAULT_5XX
    return None


def _hashes_to_zero(every, source: str, kind: str, key: str) -> bool:
    n = int(every or 0)
    if n <= 0:
        return False
    digest = hashlib.blake2b(f"{source}:{kind}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % n == 0


def recon_fault(source: str, key: str) -> tuple[bool, int]:
    """What the reconciliation faults do to one row of a day report: (left out?, fen added to
    its commission). ``key`` is the order id (the payment statement: our trade or refund number)."""
    config = faults(source)
    if not config:
        return False, 0
    key = str(key)
    if key in {str(k) for k in config.get("recon_drop") or ()} or _hashes_to_zero(
            config.get("recon_drop_every"), source, "drop", key):
        return True, 0
    altered = {str(k): int(v) for k, v in (config.get("recon_alter") or {}).items()}
    if key in altered:
        return False, altered[key]
    if _hashes_to_zero(config.get("recon_alter_every"), source, "alter", key):
        return False, int(config.get("recon_alter_fen", -100))
    return False, 0


def reset_faults() -> None:
    for source in ("taobao", "jd", "kaola", "vip", "suning"):
        cache.delete(f"sandbox:faults:{source}:calls")


def server_error() -> HttpResponse:
    return HttpResponse("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
                        status=503, content_type="text/html")


def json_response(payload, status: int = 200) -> JsonResponse:
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


@dataclass(frozen=True)
class Window:
    start: int
    end: int
    has_more: bool


def page_window(source: str, total: int, page: int, page_size: int) -> Window:
    """Which rows of ``total`` a page holds, after the source's paging faults."""
    config = faults(source)
    page = max(1, int(page))
    page_size = max(1, int(page_size))
    if config.get("truncate_pages") and page_size > 1:
        page_size -= 1
    start = min((page - 1) * page_size, total)
    end = min(start + page_size, total)
    has_more = end < total or bool(config.get("has_more_lies") and start < total)
    return Window(start, end, has_more)
