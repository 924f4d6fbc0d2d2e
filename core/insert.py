"""``INSERT … ON CONFLICT DO NOTHING RETURNING id`` for one model instance: the write-once rows of
the hot paths (outbox events, their delivery marks, the shopping assistant's messages, ledger
transactions) in one statement, with no read first and no savepoint of their own. PostgreSQL
and SQLite both speak it."""
from __future__ import annotations

from django.db import connection
from django.db.models import Model


def insert_once(instance: Model, fields: tuple[str, ...], conflict: tuple[str, ...], where: str = "") -> bool:
    """Insert ``instance``'s ``fields`` unless a row already holds its values of the unique
    ``conflict`` columns (``where``: the condition of a partial unique index). True when inserted;
    ``instance`` then has its primary key and counts as saved."""
    meta = type(instance)._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    values = [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in columns]
    target = ", ".join(quote(meta.get_field(name).column) for name in conflict)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))}) ON CONFLICT ({target}){' WHERE ' + where if where else ''} "
            f"DO NOTHING RETURNING {quote(meta.pk.column)}", values)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding, instance._state.db = False, connection.alias
    return True
