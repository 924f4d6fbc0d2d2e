"""Prepared reads for the hot paths: a queryset's SQL compiled once per database connection and
run again with new parameters, its rows turned into model instances as the ORM turns them.

Building and compiling a queryset costs more CPU than PostgreSQL spends answering it when the
query is a lookup by key (the order a payment button names, the payment a gateway notifies):
on the purchase's three requests it was the largest single cost after the framework itself.
``Prepared`` keeps the ORM as the one description of the query — its joins, ``select_related``,
annotations, ``select_for_update`` — and only skips redoing that work::

    _order_of_shopper = Prepared(lambda number, shopper_id: Order.objects.filter(
        number=number, shopper_id=shopper_id)[:1], str, int)

    order = _order_of_shopper.first(number, user.pk)

How: the first call on a connection builds the queryset with a marker for each argument (a
kind: ``int`` or ``str``, the values that reach the database unchanged), compiles it, and finds
each marker among the SQL's parameters; every later call sends the same SQL with the arguments in
the markers' places. A marker that does not come out as a parameter (the builder turned it
into something else) is refused at compile time, never guessed at. The compiled form lives on
the connection (one per thread), so nothing is shared between threads. A ``select_for_update``
is compiled inside the caller's transaction, as the ORM requires; the caller keeps to that.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

from . import pgprepared

_INT_MARKER = -(10**15)  # no key of ours is negative: a marker cannot be a real value


def _marker(kind: type, i: int):
    if kind is int:
        return _INT_MARKER - i
    if kind is str:
        return f"\x1fprepared-argument-{i}\x1f"
    raise TypeError(f"a prepared argument is int or str, not {kind!r}")


class _Compiled:
    __slots__ = ("sql", "slots", "converters", "model", "start", "end", "init_list", "populators", "annotations")


class Prepared:
    """A queryset built by ``build(*args)`` (arguments of the given ``kinds``), compiled once per
    connection. ``list(*args)`` returns its model instances, ``first(*args)`` the first or None."""

    _serial = itertools.count()

    def __init__(self, build: Callable[..., QuerySet], *kinds: type):
        self.build, self.kinds = build, kinds
        self.name = f"prepared-{next(self._serial)}"

    def _compile(self, conn) -> _Compiled:
        markers = [_marker(kind, i) for i, kind in enumerate(self.kinds)]
        queryset = self.build(*markers)
        compiler = queryset.query.get_compiler(connection=conn)
        sql, params = compiler.as_sql()
        slots, seen = [], set()
        for value in params:
            slot = next((i for i, m in enumerate(markers) if type(value) is type(m) and value == m), None)
            slots.append((True, slot) if slot is not None else (False, value))
            seen.add(slot)
        if missing := set(range(len(markers))) - seen:
            raise ValueError(f"{self.name}: arguments {sorted(missing)} did not reach the SQL as parameters")
        c = _Compiled()
        c.sql, c.slots = sql, slots
        c.converters = compiler.get_converters([s[0] for s in compiler.select[:compiler.col_count]])
        klass_info, select = compiler.klass_info, compiler.select
        if klass_info is None:
            raise TypeError(f"{self.name}: a prepared read returns model instances (no values())")
        c.model = klass_info["model"]
        c.start, c.end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        c.init_list = [f[0].target.attname for f in select[c.start:c.end]]
        c.populators = get_related_populators(klass_info, select, conn.alias)
        c.annotations = tuple(compiler.annotation_col_map.items())
        return c

    def list(self, *args, connection=None) -> list[Model]:
        conn = connection or connections[DEFAULT_DB_ALIAS]
        cache = conn.__dict__.setdefault("_prepared_reads", {})
        c = cache.get(self.name)
        if c is None:
            c = cache[self.name] = self._compile(conn)
        params = [args[v] if is_arg else v for is_arg, v in c.slots]
        with conn.cursor() as cursor:
            pgprepared.execute(cursor, c.sql, params)  # (on PostgreSQL also planned once per connection)
            rows = cursor.fetchall()
        if c.converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for pos, (convs, expression) in c.converters.items():
                    value = row[pos]
                    for conv in convs:
                        value = conv(value, expression, conn)
                    row[pos] = value
        alias, found = conn.alias, []
        for row in rows:
            obj = c.model.from_db(alias, c.init_list, row[c.start:c.end])
            for populator in c.populators:
                populator.populate(row, obj)
            for name, pos in c.annotations:
                setattr(obj, name, row[pos])
            found.append(obj)
        return found

    def first(self, *args, connection=None) -> Model | None:
        found = self.list(*args, connection=connection)
        return found[0] if found else None
