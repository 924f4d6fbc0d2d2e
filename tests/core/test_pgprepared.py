"""``core.pgprepared``: the hot paths' fixed statements run as server-side prepared statements on
PostgreSQL — the same answers as the plain statement, one ``PREPARE`` per connection that no query
count sees, kept through a rolled-back transaction, prepared again on a new connection (a
reconnect after the database was out of reach), and on SQLite the plain statement. (Mutations
tried, each seen failing here on PostgreSQL and reverted: not forgetting the prepared names when
Django opens a new connection — the next statement fails with "prepared statement does not
exist"; numbering every placeholder ``$1``.)"""
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core import pgprepared
from core.models import OutboxEvent

pytestmark = pytest.mark.django_db(transaction=True)

SQL = 'SELECT "key", "topic" FROM "core_outboxevent" WHERE "topic" = %s AND "key" LIKE %s ORDER BY "key"'


def _rows(*params):
    with connection.cursor() as cursor:
        pgprepared.execute(cursor, SQL, list(params))
        return cursor.fetchall()


def test_a_prepared_statement_answers_as_the_plain_one_for_each_set_of_parameters():
    for i in range(3):
        OutboxEvent.objects.create(topic="t.prep", key=f"prep:{i}", payload={})
    OutboxEvent.objects.create(topic="t.other", key="prep:x", payload={})
    with CaptureQueriesContext(connection) as q:
        first = _rows("t.prep", "prep:%")
        again = _rows("t.other", "prep:%")
    assert first == [("prep:0", "t.prep"), ("prep:1", "t.prep"), ("prep:2", "t.prep")]
    assert again == [("prep:x", "t.other")]
    assert len(q) == 2  # the connection's PREPARE is not one of the queries
    if connection.vendor == "postgresql":
        assert all(x["sql"].startswith("EXECUTE dc_") for x in q.captured_queries)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_it_outlives_a_rolled_back_transaction_and_is_prepared_again_on_a_new_connection():
    OutboxEvent.objects.create(topic="t.prep", key="prep:a", payload={})
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            assert _rows("t.prep", "prep:%") == [("prep:a", "t.prep")]  # prepared inside
            raise RuntimeError
    assert _rows("t.prep", "prep:%") == [("prep:a", "t.prep")]
    connection.close()  # as after PostgreSQL was out of reach: Django opens a new connection
    assert _rows("t.prep", "prep:%") == [("prep:a", "t.prep")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 1  # this connection's own, prepared once
