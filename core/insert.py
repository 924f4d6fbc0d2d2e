"""Single-statement inserts of one model instance for the hot paths, with no read first and no
savepoint of their own. PostgreSQL and SQLite both speak them.

- ``insert_once``: ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` — the write-once rows (outbox
  events, their delivery marks, the shopping assistant's messages, ledger transactions);
- ``insert_unless``: ``INSERT … SELECT … WHERE NOT EXISTS (…) RETURNING id`` — a row that must
  not join another in some state (a second pending payment of an order);
- ``insert_row``, ``insert_rows`` and ``update_row``: the plain ``INSERT … RETURNING id`` and ``UPDATE … WHERE id``
  that ``Model.save()`` sends, without the ORM's query building (an order's every status change).

Field values go through each field's ``pre_save`` (``auto_now_add`` stamps) and
``get_db_prep_save``, as ``save()`` does them. Model signals are NOT sent: use these only for models
nothing listens to (``pre_save``/``post_save``, history).
"""
from __future__ import annotations

import functools

from django.db import connection
from django.db.models import Model

from . import pgprepared


def _column(meta, name: str) -> str:
    return connection.ops.quote_name(meta.get_field(name).column)


def _conditions(meta, filters: dict, alias: str) -> tuple[str, list]:
    """``alias.column = %s AND …`` of ``filters`` on ``meta``'s fields, with their parameters."""
    sql = " AND ".join(f"{alias}.{_column(meta, name)} = %s" for name in filters)
    return sql, [meta.get_field(name).get_db_prep_save(value, connection) for name, value in filters.items()]


def _insert(instance: Model, fields: tuple[str, ...], *, where: str = "", where_params: list | None = None,
            from_row: tuple[str, type[Model]] | None = None, tail: str = "") -> bool:
    """``INSERT INTO table (fields) VALUES (…) {tail} RETURNING pk`` or, with a ``where``,
    ``… SELECT … [FROM other AS x] WHERE {where} {tail} …``. ``from_row`` ``(field, model)``: that
    field's value is the primary key of ``x``, the ``model`` row ``where`` picks. True when a row
    was inserted; ``instance`` then has its primary key (and that field) and counts as saved."""
    meta = type(instance)._meta
    sql, sent = _statement(type(instance), tuple(fields), where, from_row, tail)
    params = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in sent]
    with connection.cursor() as cursor:
        if where:  # (INSERT … SELECT %s: PostgreSQL could not type a prepared statement's parameters)
            cursor.execute(sql, [*params, *(where_params or [])])
        else:
            pgprepared.execute(cursor, sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    if from_row is not None:
        setattr(instance, meta.get_field(from_row[0]).attname, row[1])
    instance._state.adding, instance._state.db = False, connection.alias
    return True


@functools.lru_cache(maxsize=512)
def _statement(model: type[Model], fields: tuple[str, ...], where: str, from_row, tail: str,
               count: int = 1) -> tuple[str, list]:
    """``_insert``'s statement text (``count`` rows of values) and the fields whose values each
    row sends, built once per shape (the hot paths insert the same few shapes thousands of times
    a second)."""
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    values, sent = [], []
    for f in columns:
        if from_row is not None and f.name == from_row[0]:
            values.append(f"x.{quote(from_row[1]._meta.pk.column)}")
        else:
            values.append("%s")
            sent.append(f)
    if where:
        source = f" FROM {quote(from_row[1]._meta.db_table)} AS x" if from_row else ""
        rows = f"SELECT {', '.join(values)}{source} WHERE {where}"
    else:
        rows = "VALUES " + ", ".join([f"({', '.join(values)})"] * count)
    returning = quote(meta.pk.column) + (f", {_column(meta, from_row[0])}" if from_row else "")
    return (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
            f"{rows} {tail} RETURNING {returning}"), sent


def insert_once(instance: Model, fields: tuple[str, ...], conflict: tuple[str, ...], where: str = "",
                lookup: tuple[str, type[Model], dict] | None = None) -> bool:
    """Insert ``instance``'s ``fields`` unless a row already holds its values of the unique
    ``conflict`` columns (``where``: the condition of a partial unique index). True when inserted;
    ``instance`` then has its primary key and counts as saved.

    ``lookup`` ``(field, model, filters)``: the foreign key ``field`` (one of ``fields``) is the
    primary key of the ``model`` row matching ``filters`` (column = value, all of them), read in
    the same statement (``INSERT … SELECT … FROM`` that table). No such row: nothing is inserted
    and the answer is False, as for a conflict; the caller tells the two apart."""
    pick, pick_params = _conditions(lookup[1]._meta, lookup[2], "x") if lookup else ("", [])
    return _insert(instance, fields, where=pick, where_params=pick_params, from_row=lookup[:2] if lookup else None,
                   tail=_on_conflict(type(instance)._meta, conflict, where))


def _on_conflict(meta, conflict: tuple[str, ...], where: str = "") -> str:
    """``ON CONFLICT (columns) [WHERE …] DO NOTHING`` of the unique ``conflict`` fields."""
    target = ", ".join(_column(meta, name) for name in conflict)
    return f"ON CONFLICT ({target}){' WHERE ' + where if where else ''} DO NOTHING"


def insert_unless(instance: Model, fields: tuple[str, ...], exists: dict) -> bool:
    """Insert ``instance``'s ``fields`` unless a row of its table matches ``exists`` (field = value,
    all of them), in one statement; False when one does. (Two such inserts racing can both go in:
    where that must never happen, a unique constraint and ``insert_once`` are the tool.)"""
    meta = type(instance)._meta
    match, match_params = _conditions(meta, exists, "y")
    return _insert(instance, fields, where=f"NOT EXISTS (SELECT 1 FROM {connection.ops.quote_name(meta.db_table)} "
                                           f"AS y WHERE {match})", where_params=match_params)


def insert_row(instance: Model, fields: tuple[str, ...] | None = None) -> None:
    """``INSERT`` ``instance`` (its ``fields``; default: every concrete field but an automatic
    primary key) in one statement; it then has its primary key and counts as saved."""
    if fields is None:
        fields = _all_fields(type(instance))
    _insert(instance, fields)


def insert_rows(instances: list[Model], fields: tuple[str, ...] | None = None, *, conflict: tuple[str, ...] = (),
                where: str = "") -> int:
    """Several rows of one model in one ``INSERT … VALUES (…), (…) RETURNING id`` (a ledger
    transaction's two to four entries); each instance then has its primary key. With
    ``conflict`` (unique columns; ``where``: a partial index's condition) a row whose values
    are taken already is skipped (``ON CONFLICT DO NOTHING``) and no instance is given a key,
    since which rows went in is not told. Returns how many rows went in."""
    if not instances:
        return 0
    model = type(instances[0])
    fields = tuple(fields) if fields is not None else _all_fields(model)
    tail = _on_conflict(model._meta, conflict, where) if conflict else ""
    sql, sent = _statement(model, fields, "", None, tail, len(instances))
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in instances for f in sent]
    with connection.cursor() as cursor:
        pgprepared.execute(cursor, sql, params)
        rows = cursor.fetchall()
    if not conflict:
        for obj, row in zip(instances, rows, strict=True):
            obj.pk = row[0]
            obj._state.adding, obj._state.db = False, connection.alias
    return len(rows)


def update_row(instance: Model, fields: list[str] | tuple[str, ...], only_if: dict | None = None) -> int:
    """``UPDATE`` ``instance``'s row (by primary key) to its values of ``fields``, as
    ``save(update_fields=fields)`` does; ``only_if`` (field = value, all of them): only while the
    row still holds those values (a conditional move: of two racing, one wins). Returns the rows
    updated (0: the row is gone, or no longer as ``only_if`` says)."""
    meta = type(instance)._meta
    only_if = only_if or {}
    sql, columns = _update_statement(type(instance), tuple(fields), tuple(only_if))
    params = [f.get_db_prep_save(f.pre_save(instance, False), connection) for f in columns]
    params.append(meta.pk.get_db_prep_value(instance.pk, connection))
    params += [meta.get_field(name).get_db_prep_save(value, connection) for name, value in only_if.items()]
    with connection.cursor() as cursor:
        pgprepared.execute(cursor, sql, params)
        return cursor.rowcount


@functools.lru_cache(maxsize=256)
def _update_statement(model: type[Model], fields: tuple[str, ...], only_if: tuple[str, ...]) -> tuple[str, list]:
    """``update_row``'s statement text and the fields it sets, built once per shape."""
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    table = quote(meta.db_table)
    condition = "".join(f" AND {table}.{_column(meta, name)} = %s" for name in only_if)
    return (f"UPDATE {table} SET {', '.join(f'{quote(f.column)} = %s' for f in columns)} "
            f"WHERE {quote(meta.pk.column)} = %s{condition}"), columns


@functools.cache
def _all_fields(model: type[Model]) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.concrete_fields
                 if not (f.primary_key and getattr(f, "db_returning", False)))
