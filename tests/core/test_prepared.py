"""``core.prepared.Prepared``: a hot read compiled once per connection answers exactly what the
ORM answers — the same rows, fields converted (JSON, times), ``select_related`` objects and
annotations in place — for every new argument, and refuses a builder whose argument does not
reach the SQL as a parameter instead of sending the first caller's value to everyone. (Mutations
tried, each seen failing here on SQLite and on PostgreSQL and reverted: the first argument sent in
every argument's place; skipping the converters; not populating ``select_related``.)"""
import pytest
from django.db.models import F
from django.db.models.query import QuerySet

from core.models import OutboxEvent
from core.prepared import Prepared
from orders.models import Payment

from ..orders.helpers import place, shop_product, shopper

pytestmark = pytest.mark.django_db

_EVENTS = Prepared(lambda topic, key: OutboxEvent.objects.filter(topic=topic, key=key).order_by("pk"), str, str)
_PAYMENT = Prepared(lambda number: Payment.objects.select_related("order").annotate(
    shop_owner=F("order__shop__owner_id")).filter(number=number)[:1], str)


def test_each_call_answers_its_own_arguments_with_fields_as_the_orm_reads_them():
    a = OutboxEvent.objects.create(topic="t.one", key="k1", payload={"n": 1, "名": "一"})
    b = OutboxEvent.objects.create(topic="t.one", key="k2", payload={"n": [2]})
    for event in (a, b, a):
        (got,) = _EVENTS.list("t.one", event.key)
        orm = OutboxEvent.objects.get(pk=event.pk)
        assert (got.pk, got.topic, got.key, got.payload, got.created_at) == (
            orm.pk, orm.topic, orm.key, orm.payload, orm.created_at)
        assert got._state.adding is False and got._state.db == "default"
    assert _EVENTS.list("t.one", "missing") == [] and _EVENTS.first("t.two", "k1") is None


def test_related_objects_and_annotations_come_back_populated(django_assert_num_queries):
    from orders import services

    payments = []
    for _ in range(2):
        product, (sku,) = shop_product()
        payments.append(services.payment_start(order=place(shopper(), product, sku)))
    for payment in payments:
        with django_assert_num_queries(1):
            got = _PAYMENT.first(payment.number)
            order = got.order  # populated by the one query, no second read
        assert (got.pk, order.pk, order.number, order.total_fen) == (
            payment.pk, payment.order.pk, payment.order.number, payment.order.total_fen)
        assert got.shop_owner == payment.order.shop.owner_id


def test_a_builder_whose_argument_never_reaches_the_sql_is_refused():
    def build(key: str) -> QuerySet:
        return OutboxEvent.objects.filter(key=key.upper())  # a different value: not the marker

    with pytest.raises(ValueError, match="did not reach the SQL"):
        Prepared(build, str).list("k")
    with pytest.raises(TypeError):
        Prepared(lambda when: OutboxEvent.objects.filter(created_at=when), float).list(1.0)
