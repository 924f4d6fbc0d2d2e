"""``INSERT … ON CONFLICT DO NOTHING RETURNING id`` for one model instance: the write-once rows of
the hot paths (outbox events, their delivery marks, the shopping assistant's messages, ledger
transactions) in one statement, with no read first and no savepoint of their own. PostgreSQL
and SQLite both speak it."""
from __future__ import annotations

from django.db import connection
from django.db.models import Model


def insert_once(instance: Model, fields: tuple[str, ...], conflict: tuple[str, ...], where: str = "",
                lookup: tuple[str, type[Model], dict] | None = None) -> bool:
    """Insert ``instance``'s ``fields`` unless a row already holds its values of the unique
    ``conflict`` columns (``where``: the condition of a partial unique index). True when inserted;
    ``instance`` then has its primary key and counts as saved.

    ``lookup`` ``(field, model, filters)``: the foreign key ``field`` (one of ``fields``) is the
    primary key of the ``model`` row matching ``filters`` (column = value, all of them), read in
    the same statement (``INSERT … SELECT … FROM`` that table). No such row: nothing is inserted
    and the answer is False, as for a conflict; the caller tells the two apart."""
    meta = type(instance)._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    target = ", ".join(quote(meta.get_field(name).column) for name in conflict)
    names = ", ".join(quote(f.column) for f in columns)
    values, params = [], []
    for f in columns:
        if lookup is not None and f.name == lookup[0]:
            values.append(f"x.{quote(lookup[1]._meta.pk.column)}")
        else:
            values.append("%s")
            params.append(f.get_db_prep_save(getattr(instance, f.attname), connection))
    if lookup is None:
        source = f"VALUES ({', '.join(values)})"
    else:
        other = lookup[1]._meta
        conditions = " AND ".join(f"x.{quote(other.get_field(name).column)} = %s" for name in lookup[2])
        params += [other.get_field(name).get_db_prep_save(value, connection) for name, value in lookup[2].items()]
        source = f"SELECT {', '.join(values)} FROM {quote(other.db_table)} AS x WHERE {conditions}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({names}) {source} "
            f"ON CONFLICT ({target}){' WHERE ' + where if where else ''} "
            f"DO NOTHING RETURNING {quote(meta.pk.column)}{', ' + quote(meta.get_field(lookup[0]).column) if lookup else ''}",
            params)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    if lookup is not None:
        setattr(instance, meta.get_field(lookup[0]).attname, row[1])
    instance._state.adding, instance._state.db = False, connection.alias
    return True
