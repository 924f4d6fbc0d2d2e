"""Recording events and sales: the buffer, the flush, idempotency by order reference."""
import datetime

import pytest
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotFound
from showcase.channels import Channel
from showcase.stats.buffer import get_buffer
from showcase.stats.models import DailyStat, SaleRecord
from showcase.stats.services import _apply_batch, event_record, sale_record, sale_refund, stats_flush
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import UserFactory

pytestmark = pytest.mark.django_db


def _row(creator, channel, product=None):
    return DailyStat.objects.get(creator=creator, channel=channel, product=product, day=timezone.localdate())


def test_n_events_flush_to_exactly_n_counts():
    creator = UserFactory()
    product = ProductFactory()
    for _ in range(37):
        event_record(kind="view", channel=Channel.SHOWCASE, creator_id=creator.pk)
    for _ in range(5):
        event_record(kind="click", channel="video", creator_id=creator.pk, product_id=product.pk, video_id=3)
    event_record(kind="impression", channel="video", creator_id=creator.pk, product_id=product.pk)
    result = stats_flush()
    assert result.events == 43
    assert _row(creator, "showcase").views == 37
    row = _row(creator, "video", product)
    assert (row.clicks, row.impressions, row.views) == (5, 1, 0)


def test_recording_writes_nothing_to_the_database_until_the_flush(django_assert_num_queries):
    creator = UserFactory()
    with django_assert_num_queries(0):
        for _ in range(10):
            event_record(kind="view", channel="live", creator_id=creator.pk, live_id=1)
    assert not DailyStat.objects.exists()
    stats_flush()
    assert _row(creator, "live").views == 10


def test_a_second_flush_adds_only_new_events():
    creator = UserFactory()
    for _ in range(3):
        event_record(kind="view", channel="search", creator_id=creator.pk)
    stats_flush()
    stats_flush()
    event_record(kind="view", channel="search", creator_id=creator.pk)
    stats_flush()
    assert _row(creator, "search").views == 4


def test_interleaved_flushes_never_double_count():
    """Flush A takes the buffer and reads it; flush B runs completely (and also adds A's
    pending batch); then A adds what it read: the batch id makes A's add a no-op."""
    creator = UserFactory()
    for _ in range(20):
        event_record(kind="click", channel="comment", creator_id=creator.pk)
    buffer = get_buffer()
    batch_a = buffer.take()
    data_a = buffer.read(batch_a)
    for _ in range(7):
        event_record(kind="click", channel="comment", creator_id=creator.pk)
    stats_flush()  # flush B
    assert _apply_batch(batch_a, data_a) == (0, 0)
    stats_flush()
    assert _row(creator, "comment").clicks == 27


def test_a_batch_left_pending_by_a_crashed_flush_is_added_once_by_the_next():
    creator = UserFactory()
    for _ in range(4):
        event_record(kind="view", channel="video", creator_id=creator.pk)
    get_buffer().take()  # a flush that died right after taking the buffer
    stats_flush()
    stats_flush()
    assert _row(creator, "video").views == 4


@pytest.mark.parametrize("kwargs", [
    {"kind": "like", "channel": "video"},
    {"kind": "view", "channel": "tv"},
    {"kind": "view", "channel": "video", "product_id": 0},
    {"kind": "view", "channel": "video", "product_id": "5"},
    {"kind": "view", "channel": "video", "video_id": -1},
])
def test_unknown_kind_channel_or_bad_ids_are_refused(kwargs):
    with pytest.raises(ValueError):
        event_record(creator_id=1, **kwargs)
    assert get_buffer().live_size() == 0


def test_the_same_visitor_repeating_an_event_at_once_counts_once():
    creator = UserFactory()
    for _ in range(3):
        event_record(kind="view", channel="showcase", creator_id=creator.pk, visitor="sess-1")
    event_record(kind="view", channel="showcase", creator_id=creator.pk, visitor="sess-2")
    stats_flush()
    assert _row(creator, "showcase").views == 2


def test_events_for_a_deleted_product_stay_counted_on_the_channel_row():
    creator = UserFactory()
    gone_id = ProductFactory().pk + 1000  # an id no product has (deleted since the event)
    event_record(kind="click", channel="showcase", creator_id=creator.pk, product_id=gone_id)
    stats_flush()
    assert _row(creator, "showcase").clicks == 1


def _sale(creator, product, ref="o-1", **kw):
    values = dict(creator_id=creator.pk, channel="video", product_id=product.pk, order_ref=ref, quantity=2,
                  gmv_fen=11800, commission_fen=2360, paid_at=timezone.now())
    values.update(kw)
    return sale_record(**values)


def test_a_sale_recorded_twice_by_order_ref_counts_once():
    creator, product = UserFactory(), ProductFactory()
    _sale(creator, product)
    _sale(creator, product)
    row = _row(creator, "video", product)
    assert (row.orders, row.units, row.gmv_fen, row.commission_fen) == (1, 2, 11800, 2360)
    assert SaleRecord.objects.count() == 1


def test_the_same_order_ref_with_other_amounts_is_a_conflict():
    creator, product = UserFactory(), ProductFactory()
    _sale(creator, product)
    with pytest.raises(Conflict) as exc:
        _sale(creator, product, gmv_fen=99900)
    assert exc.value.field == "order_ref"


def test_a_refund_takes_the_sale_out_of_its_paid_day_once():
    creator, product = UserFactory(), ProductFactory()
    paid = timezone.now() - datetime.timedelta(days=3)
    _sale(creator, product, paid_at=paid)
    _sale(creator, product, ref="o-2", paid_at=paid, quantity=1, gmv_fen=5900, commission_fen=1180)
    sale_refund(order_ref="o-1")
    sale_refund(order_ref="o-1")
    row = DailyStat.objects.get(creator=creator, day=timezone.localdate(paid))
    assert (row.orders, row.units, row.gmv_fen, row.commission_fen) == (1, 1, 5900, 1180)


def test_refunding_an_unknown_order_is_not_found():
    with pytest.raises(NotFound):
        sale_refund(order_ref="nope")


@pytest.mark.parametrize("field,value", [
    ("channel", "tv"), ("quantity", 0), ("gmv_fen", -1), ("commission_fen", 99999), ("order_ref", ""),
    ("paid_at", datetime.datetime(2024, 1, 1)),
])
def test_invalid_sales_are_refused_naming_the_field(field, value):
    creator, product = UserFactory(), ProductFactory()
    with pytest.raises(InvalidInput) as exc:
        _sale(creator, product, **{field: value})
    assert exc.value.field == field
    assert not SaleRecord.objects.exists()
