"""The sync: keeping the product pool and the order reports in step with the outside sources.

Jobs (``models.SyncJob``) of three kinds, each split into parts planned up front and stored
exactly once (``services.jobs``):

* **products** — refresh price, commission, availability and gate result of the products
  creators use (``usage.products_in_use``: a registry of predicates higher rooms extend), one
  Celery task per page of ids: one ``products_detail`` call, one set-based
  ``product_upsert_many`` (unchanged rows are not written), and the ids the source no longer
  returns marked unavailable in one UPDATE;
* **pool** — import N pages of a source's hot-seller list into ``Product``; the top
  ``SYNC_RECOMMENDED_LIMIT`` become the source's recommended set (the pool's default list);
* **orders** — pull order reports window by window (``client.max_order_window``) into
  ``OrderReport``, one row per (source, order id, line id); the per-source
  ``SyncCheckpoint`` advances in the transaction that stores a window, and only past windows
  that are all stored. The next pull starts ``SYNC_ORDERS_OVERLAP_MINUTES`` before it.

Run them with ``manage.py sync_source`` (progress bar) or the Celery tasks in
``affiliates/tasks.py`` (beat schedule in ``affiliates/schedules.py``); progress is in admin.

Resuming: a part's rows, its ``SyncJobPart`` row and the job's counters commit together, and a
part whose row exists is skipped. A worker killed mid-part loses nothing committed; its
message is redelivered by the broker (``acks_late`` + ``reject_on_worker_lost``; with Redis
after ``visibility_timeout``), and sooner by ``affiliates.sync_resume_stale`` (every minute)
which re-queues the missing parts of active jobs silent for ``SYNC_JOB_STALE_SECONDS``.

The hook for the orders and commissions rooms — ``affiliates.sync.signals.order_reports_stored``
— is sent after each commit that created or changed order reports, with ``source``,
``created_ids``, ``updated_ids`` (``OrderReport`` pks) and ``redelivery``; delivery is at least
once (see ``signals.py``), so receivers must be idempotent.
"""
