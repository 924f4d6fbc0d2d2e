"""Events the sync announces to the rooms above it (orders, commissions).

``order_reports_stored`` — sent after the transaction that stored order report rows commits::

    order_reports_stored.send_robust(
        sender=OrderReport,
        source="taobao",            # the source of every row in this batch
        created_ids=[...],          # OrderReport pks first stored by this batch
        updated_ids=[...],          # OrderReport pks whose content changed (status, amounts…)
        redelivery=False,           # True when re-offered after an incomplete hand-off
    )

Delivery is at least once: each changed row carries ``handoff_pending=True`` (set in the same
transaction as the change) until every receiver returned without raising; rows still pending
after ``SYNC_HANDOFF_RETRY_SECONDS`` are offered again (``redelivery=True``) by the periodic
``affiliates.order_reports_redeliver`` task. Receivers must therefore be idempotent (key on
the report's pk or on (source, order_id, line_id)) and read the rows' current state from the
table; a receiver that raises leaves the batch pending, so it is retried.
"""
from django.dispatch import Signal

order_reports_stored = Signal()
