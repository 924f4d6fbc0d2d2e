"""Server-rendered SVG charts, backdated events, and the demo history (real recording path,
idempotent)."""
import datetime
import io

import pytest
from django.utils import timezone

from showcase.stats.charts import _nice_ceiling, bar_chart, line_chart
from showcase.stats.models import DailyStat, LeaderboardEntry, SaleRecord
from showcase.stats.services import event_record, stats_flush
from tests.factories.affiliates import ProductFactory

from .helpers import creator_with_rights


def test_line_chart_has_a_point_per_day_with_exact_tooltips():
    days = [datetime.date(2026, 11, d) for d in range(1, 8)]
    svg = str(line_chart(list(zip(days, [0, 5, 3, 12, 7, 0, 1], strict=True)), label="浏览次数"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<circle") == 7
    assert "<title>11-04: 12</title>" in svg
    assert 'aria-label="浏览次数"' in svg


def test_money_charts_show_yuan():
    svg = str(line_chart([(datetime.date(2026, 11, 1), 123456)], label="GMV", money=True))
    assert "¥1,234.56" in svg


def test_chart_labels_are_escaped():
    svg = str(bar_chart([("<script>", 3)], label='a"b'))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and 'aria-label="a&quot;b"' in svg


@pytest.mark.parametrize("value,top", [(0, 4), (3, 4), (23, 24), (99, 100), (101, 120), (2500, 3200)])
def test_the_y_axis_ends_on_a_round_number_above_the_peak(value, top):
    assert _nice_ceiling(value) == top
    assert top % 4 == 0


@pytest.mark.django_db
def test_an_event_dated_earlier_lands_on_its_day():
    creator = creator_with_rights()
    earlier = timezone.now() - datetime.timedelta(days=3)
    event_record(kind="view", channel="live", creator_id=creator.pk, at=earlier)
    stats_flush()
    assert DailyStat.objects.get(creator=creator).day == timezone.localdate(earlier)
    with pytest.raises(ValueError):
        event_record(kind="view", channel="live", creator_id=creator.pk, at=datetime.datetime(2026, 1, 1))


@pytest.mark.django_db
def test_demo_history_is_recorded_through_the_real_path_and_only_once(monkeypatch):
    from showcase.stats import demo

    monkeypatch.setattr(demo, "DAYS", 5)
    monkeypatch.setattr(demo, "PROMO_DAYS", range(1, 2))
    creator = creator_with_rights()
    ProductFactory.create_batch(3, price_fen=4900, commission_rate_bp=2000)
    demo.seed(io.StringIO())
    rows = DailyStat.objects.filter(creator=creator)
    views = sum(r.views for r in rows)
    sales = SaleRecord.objects.filter(creator=creator, order_ref__startswith="demo-")
    assert views > 0 and rows.filter(day__lt=timezone.localdate() - datetime.timedelta(days=4)).count() == 0
    paid = sales.filter(refunded_at__isnull=True)
    assert sum(r.gmv_fen for r in rows) == sum(s.gmv_fen for s in paid)
    assert sum(r.orders for r in rows) == paid.count()
    assert LeaderboardEntry.objects.exists() == paid.exists()
    before = (views, sales.count())
    demo.seed(io.StringIO())
    assert (sum(r.views for r in DailyStat.objects.filter(creator=creator)), sales.count()) == before
