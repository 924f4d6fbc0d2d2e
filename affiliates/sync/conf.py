"""The sync's knobs: ``settings.SYNC_*`` when set, these defaults otherwise."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings

DEFAULTS = {
    # Product refresh: how many product ids one task (one ``products_detail`` batch) carries.
    "SYNC_REFRESH_PAGE_SIZE": 200,
    # Until the showcase registers its own rule, a product counts as "in use" for this many days
    # after it entered the pool (resolved from a paste, or imported) — see ``usage.py``.
    "SYNC_REFRESH_RECENT_DAYS": 3,
    # Pool import: pages pulled by the periodic job, and how many of the source's hot sellers
    # (from the top of its no-keyword list) are flagged recommended.
    "SYNC_POOL_PAGES": 20,
    "SYNC_RECOMMENDED_LIMIT": 500,
    # Order reports: the first pull of a source looks back this far; later pulls start this
    # much before the checkpoint (reports arrive late; re-reading is free, rows never repeat).
    "SYNC_ORDERS_FIRST_LOOKBACK_HOURS": 24,
    "SYNC_ORDERS_OVERLAP_MINUTES": 30,
    # A running job with no sign of life for this long is resumed by ``sync_resume_stale``.
    "SYNC_JOB_STALE_SECONDS": 600,
    # Order reports whose hand-off did not complete are offered again after this long.
    "SYNC_HANDOFF_RETRY_SECONDS": 300,
    # Celery retries of one part on Transient / RateLimited (after the client's own retries).
    "SYNC_PART_MAX_RETRIES": 6,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def refresh_page_size() -> int:
    return max(1, int(get("SYNC_REFRESH_PAGE_SIZE")))


def refresh_recent() -> timedelta:
    return timedelta(days=float(get("SYNC_REFRESH_RECENT_DAYS")))


def pool_pages() -> int:
    return max(1, int(get("SYNC_POOL_PAGES")))


def recommended_limit() -> int:
    return max(0, int(get("SYNC_RECOMMENDED_LIMIT")))


def orders_first_lookback() -> timedelta:
    return timedelta(hours=float(get("SYNC_ORDERS_FIRST_LOOKBACK_HOURS")))


def orders_overlap() -> timedelta:
    return timedelta(minutes=float(get("SYNC_ORDERS_OVERLAP_MINUTES")))


def job_stale_after() -> timedelta:
    return timedelta(seconds=float(get("SYNC_JOB_STALE_SECONDS")))


def handoff_retry_after() -> timedelta:
    return timedelta(seconds=float(get("SYNC_HANDOFF_RETRY_SECONDS")))


def part_max_retries() -> int:
    return int(get("SYNC_PART_MAX_RETRIES"))
