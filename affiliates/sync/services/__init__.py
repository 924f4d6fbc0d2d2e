"""Every write of the sync: jobs and their parts, order reports and their hand-off."""
from .jobs import (
    PartOutcome,
    sync_job_cancel,
    sync_job_fail,
    sync_job_note_retry,
    sync_job_resume,
    sync_job_run,
    sync_job_start,
    sync_jobs_resume_stale,
    sync_part_run,
)
from .orders import OrderStoreCounts, order_reports_handoff, order_reports_redeliver, order_reports_store
from .parts import checkpoint_advance

__all__ = [
    "OrderStoreCounts",
    "PartOutcome",
    "checkpoint_advance",
    "order_reports_handoff",
    "order_reports_redeliver",
    "order_reports_store",
    "sync_job_cancel",
    "sync_job_fail",
    "sync_job_note_retry",
    "sync_job_resume",
    "sync_job_run",
    "sync_job_start",
    "sync_jobs_resume_stale",
    "sync_part_run",
]
