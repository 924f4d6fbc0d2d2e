"""Edges of the order sync, explored with hypothesis: windows tile the span exactly, and any
sequence of repeated, overlapping or out-of-order batches leaves one row per line holding its
latest report."""
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from affiliates.sources.base import OrderReportRow, OrderStatus
from affiliates.sync.models import OrderReport, SyncKind
from affiliates.sync.services import order_reports_store, parts

T0 = datetime(2024, 6, 18, 0, 0, tzinfo=UTC)


class _Client:
    def __init__(self, window_hours: int):
        self.max_order_window = timedelta(hours=window_hours)
        self.max_page_size = 100


@given(
    start_s=st.integers(min_value=0, max_value=3 * 86400),
    length_s=st.integers(min_value=0, max_value=3 * 86400),
    window_hours=st.sampled_from([1, 3]),
    micro=st.integers(min_value=0, max_value=999_999),
)
def test_order_windows_tile_the_span_without_gaps_or_overlaps(start_s, length_s, window_hours, micro):
    since = T0 + timedelta(seconds=start_s, microseconds=micro)
    now = since + timedelta(seconds=length_s)
    params = parts.plan(SyncKind.ORDERS, "taobao", _Client(window_hours), since=since, now=now)
    total = parts.total_of(SyncKind.ORDERS, params)
    windows = [parts.window_of(params, n) for n in range(total)]
    start, until = since.replace(microsecond=0), now.replace(microsecond=0)
    if until <= start:
        assert windows == []
        return
    assert windows[0][0] == start and windows[-1][1] == until
    for (_, a_end), (b_start, _) in zip(windows, windows[1:], strict=False):
        assert a_end == b_start
    for w_start, w_end in windows:
        assert timedelta(seconds=1) <= w_end - w_start <= timedelta(hours=window_hours)
        assert w_start.microsecond == 0 and w_end.microsecond == 0


STATUS_AT = [OrderStatus.PAID, OrderStatus.CONFIRMED, OrderStatus.SETTLED]


def _report(line: int, version: int) -> OrderReportRow:
    """Line ``line`` as the source reports it at ``version`` (later versions: later status)."""
    status = STATUS_AT[min(version, 2)] if version < 3 else OrderStatus.INVALID
    return OrderReportRow(
        source="taobao", order_id=f"9{line // 2:05d}", line_id=f"{line}", product_external_id="600000000000",
        title="测试商品", quantity=1, paid_amount_fen=1000 + line, commission_rate_bp=1500,
        estimated_commission_fen=150, settled_commission_fen=150 if status == OrderStatus.SETTLED else 0,
        status=status, raw_status=str(version), click_id=f"c{line}", ordered_at=T0,
        updated_at=T0 + timedelta(minutes=version),
    )


@pytest.mark.django_db
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), max_size=8), max_size=6))
def test_any_batches_leave_one_row_per_line_with_its_latest_report(batches):
    OrderReport.objects.all().delete()
    latest: dict[int, int] = {}
    for batch in batches:
        order_reports_store(source="taobao", rows=[_report(line, version) for line, version in batch])
        for line, version in batch:
            latest[line] = max(latest.get(line, -1), version)
    stored = {int(r.line_id): r for r in OrderReport.objects.all()}
    assert set(stored) == set(latest)
    for line, version in latest.items():
        assert stored[line].raw_status == str(version)
        assert stored[line].status == str(_report(line, version).status)
