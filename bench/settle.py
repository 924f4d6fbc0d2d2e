"""Settlement: estimated commission lines settled and posted to the ledger per second, as a ratio
to a plain set-based ``INSERT … SELECT`` of the same number of entry rows in the same run.

The measured path is the production one: ``commissions.services.settle_due`` on PostgreSQL with
the ledger's triggers in place (append-only entries, balanced statements, the deferred balance
check at commit): per batch one transaction row, the lines marked settled, two entries per line
by ``INSERT … SELECT``, cached balances moved by one ``UPDATE``, one outbox event.
The baseline inserts the same number of rows (two per line) into a copy of the entry table
(same columns and indexes, no triggers) with one ``INSERT … SELECT`` over the lines.
Each round makes fresh due lines first (not timed); the two take turns.

Environment: ``BENCH_SETTLE_LINES`` (default 100000), ``BENCH_SETTLE_CREATORS`` (default 1000),
``BENCH_SETTLE_ROUNDS`` (default 2).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

NAME = "settle"
TARGET_RATIO = 0.25
_MARK = "SETTLE-RESULT "


def run(ctx):
    from bench.__main__ import Row
    from bench.server import ROOT, manage

    manage(ctx.env, "migrate", "--noinput", "-v0")
    env = {**ctx.env, "BENCH_SETTLE_CHILD": "1"}
    proc = subprocess.run([sys.executable, "-m", "bench.settle"], cwd=ROOT, env=env, capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(_MARK)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"settle benchmark failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    r = json.loads(lines[-1][len(_MARK):])
    ratio = r["settle_rate"] / r["baseline_rate"] if r["baseline_rate"] else 0.0
    verdict = "ok" if ratio >= TARGET_RATIO else "BELOW TARGET"
    return [
        Row(NAME, "baseline INSERT … SELECT entry rows (2 per line)", r["baseline_rate"], "lines/s",
            extra={"lines": r["lines"]}),
        Row(NAME, "settle_due lines settled and posted", r["settle_rate"], "lines/s", baseline="INSERT … SELECT",
            ratio=ratio, target=f"≥{TARGET_RATIO}× {verdict}", extra=r),
        Row(NAME, "ledger check after settlement", 1.0 if r["ledger_ok"] else 0.0, "ok", target="= 1"),
    ]


def _make_lines(cursor, *, round_no: int, lines: int, creator_ids: list[int]) -> None:
    cursor.execute(
        "INSERT INTO commissions_commissionline (source, order_ref, order_number, creator_id, title, channel, click_id,"
        " quantity, paid_fen, refunded_fen, rate_bp, original_commission_fen, commission_fen, fee_bp, fee_fen,"
        " net_fen, settled_net_fen, clawed_back_fen, status, report_version, paid_at, completed_at, settle_after,"
        " created_at, updated_at) "
        "SELECT 'alliance', 'bench:' || %s || ':' || g, 'B' || g, (%s::bigint[])[1 + g %% %s], '', 'showcase', '',"
        " 1, 10000, 0, 2000, 2000, 2000, 1000, 200, 1800, 0, 0, 'estimated', '', now() - interval '30 days',"
        " now() - interval '20 days', now() - interval '1 day', now(), now() FROM generate_series(1, %s) g",
        [f"{time.time_ns()}-{round_no}", creator_ids, len(creator_ids), lines])


def _child() -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from commissions.ledger import ledger_check
    from commissions.services import settle_due

    n_lines = int(os.environ.get("BENCH_SETTLE_LINES", 100_000))
    n_creators = int(os.environ.get("BENCH_SETTLE_CREATORS", 1000))
    rounds = int(os.environ.get("BENCH_SETTLE_ROUNDS", 2))
    User = get_user_model()
    handles = [f"bench_settle_{i:05d}" for i in range(n_creators)]
    existing = set(User.objects.filter(handle__in=handles).values_list("handle", flat=True))
    User.objects.bulk_create([User(handle=h, nickname=h, password="!") for h in handles if h not in existing])
    creator_ids = list(User.objects.filter(handle__in=handles).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_entry_copy")
        # The entry table's shape: columns, identity, indexes and the same deferred foreign keys
        # (Django's), only the ledger's triggers left out.
        cursor.execute("CREATE TABLE bench_entry_copy (LIKE commissions_ledgerentry INCLUDING DEFAULTS "
                       "INCLUDING IDENTITY INCLUDING INDEXES)")
        for column, table in (("transaction_id", "commissions_ledgertransaction"),
                              ("account_id", "commissions_ledgeraccount"), ("line_id", "commissions_commissionline")):
            cursor.execute(f"ALTER TABLE bench_entry_copy ADD FOREIGN KEY ({column}) REFERENCES {table} (id) "
                           "DEFERRABLE INITIALLY DEFERRED")
    from commissions.ledger import ledger_post, platform_account
    from commissions.models import LedgerTransaction

    # Rows the baseline's foreign keys point at (one balanced transaction, one account), as real entries would.
    account_id = platform_account("payout_clearing").pk
    ledger_post(key="bench:baseline", kind="settlement", legs=[(platform_account("payout_clearing"), 1),
                                                                (platform_account("fee_revenue"), -1)])
    txn_id = LedgerTransaction.objects.get(key="bench:baseline").pk
    settle_times, baseline_times = [], []
    for round_no in range(rounds):
        with transaction.atomic(), connection.cursor() as cursor:
            _make_lines(cursor, round_no=round_no, lines=n_lines, creator_ids=creator_ids)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE commissions_commissionline")
            # Baseline: the same number of entry rows, two per due line, in one INSERT … SELECT.
            start = time.perf_counter()
            with transaction.atomic():
                cursor.execute(
                    "INSERT INTO bench_entry_copy (transaction_id, account_id, amount_fen, line_id, created_at) "
                    "SELECT %s, a.id, s.sign * l.net_fen, l.id, now() FROM commissions_commissionline l "
                    "CROSS JOIN (VALUES (-1), (1)) AS s(sign) JOIN commissions_ledgeraccount a ON a.id = %s "
                    "WHERE l.status = 'estimated' AND l.settle_after <= now()", [txn_id, account_id])
            baseline_times.append(time.perf_counter() - start)
            cursor.execute("TRUNCATE bench_entry_copy")
        start = time.perf_counter()
        settled = settle_due(batch=n_lines)
        settle_times.append(time.perf_counter() - start)
        assert settled == n_lines, f"settled {settled} of {n_lines}"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_entry_copy")
    check = ledger_check(record=False)
    settle_best, baseline_best = min(settle_times), min(baseline_times)
    return {"lines": n_lines, "creators": n_creators, "rounds": rounds,
            "settle_seconds": [round(t, 3) for t in settle_times],
            "baseline_seconds": [round(t, 3) for t in baseline_times],
            "settle_rate": n_lines / settle_best, "baseline_rate": n_lines / baseline_best,
            "ledger_ok": check.ok, "ledger_problems": check.problems[:5]}


if __name__ == "__main__" and os.environ.get("BENCH_SETTLE_CHILD"):
    print(_MARK + json.dumps(_child()), flush=True)
