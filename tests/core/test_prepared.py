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


# --- core.insert's plain statements: what save() writes, without the ORM's query building ---------

def test_insert_row_writes_what_save_writes_auto_stamps_and_json_included():
    from core.insert import insert_row
    from orders.models import PaymentNotify

    row = PaymentNotify(gateway="sandbox", notify_id="n-1", params={"金额": "1990", "n": [1]}, outcome="applied")
    insert_row(row)
    stored = PaymentNotify.objects.get(pk=row.pk)
    assert row._state.adding is False and row.received_at is not None  # auto_now_add stamped, as save() does
    assert (stored.gateway, stored.notify_id, stored.params, stored.outcome, stored.received_at) == (
        "sandbox", "n-1", {"金额": "1990", "n": [1]}, "applied", row.received_at)


def test_update_row_moves_only_while_the_row_is_as_only_if_says():
    """Of two notifies racing to move one pending payment, exactly one moves it. (Mutation tried:
    dropping ``only_if``'s condition lets the second move it again; seen failing, reverted.)"""
    from core.insert import update_row
    from orders import services

    product, (sku,) = shop_product()
    payment = services.payment_start(order=place(shopper(), product, sku))
    first = update_row(Payment(pk=payment.pk, status="paid", gateway_trade_no="T1"), ["status", "gateway_trade_no"],
                       only_if={"status": "pending"})
    second = update_row(Payment(pk=payment.pk, status="cancelled", gateway_trade_no="T2"),
                        ["status", "gateway_trade_no"], only_if={"status": "pending"})
    payment.refresh_from_db()
    assert (first, second, payment.status, payment.gateway_trade_no) == (1, 0, "paid", "T1")
    assert payment.order.status == "pending_payment"  # nothing but the named fields moved


def test_the_signed_in_users_prepared_read_is_the_account_as_stored_and_a_deactivated_one_is_signed_out(client):
    """Every request reads the signed-in user with ``User.objects.get(pk=)``, prepared. The user it
    returns is the row as it is now: a nickname changed or an account deactivated since the last
    request shows on the next one. (Mutation tried: caching the user per process — the
    deactivated account stays signed in; seen failing, reverted.)"""
    from creators.models import User
    from tests.factories.creators import UserFactory

    user = UserFactory(nickname="旧名")
    client.force_login(user)
    assert client.get("/api/v1/creators/me").json()["nickname"] == "旧名"
    User.objects.filter(pk=user.pk).update(nickname="新名")
    assert client.get("/api/v1/creators/me").json()["nickname"] == "新名"
    got = User.objects.get(pk=user.pk)
    assert (got.pk, got.nickname, got.handle) == (user.pk, "新名", user.handle)
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=user.pk + 10_000)
    assert client.get("/orders/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/orders/").status_code == 302  # signed out: to the login page
