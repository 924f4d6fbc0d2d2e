"""Which products the periodic refresh keeps fresh: the ones creators use.

"In use" is the OR of registered predicates, each a function returning a ``Q`` over
``affiliates.Product``. The affiliates room registers two until the rooms above it say more:

* ``recommended`` — the source's hot sellers, the pool's default list creators pick from;
* ``recent`` — products that entered the pool in the last ``SYNC_REFRESH_RECENT_DAYS`` days
  (a creator resolved a paste, or an import brought them in).

A higher room (showcase, orders) extends it from its own ``AppConfig.ready`` without this
room importing upward::

    from affiliates.sync.usage import in_use_register
    in_use_register("showcase", lambda: Q(showcase_items__isnull=False))

Registering an existing name replaces it; ``in_use_unregister(name)`` removes one.
"""
from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils import timezone

from affiliates.models import Product

from . import conf

Predicate = Callable[[], Q]
_PREDICATES: dict[str, Predicate] = {}


def in_use_register(name: str, predicate: Predicate) -> None:
    _PREDICATES[name] = predicate


def in_use_unregister(name: str) -> None:
    _PREDICATES.pop(name, None)


def in_use_predicates() -> dict[str, Predicate]:
    return dict(_PREDICATES)


def in_use_condition() -> Q:
    """The OR of every registered predicate; matches nothing when none is registered."""
    condition = Q(pk__in=[])
    for predicate in _PREDICATES.values():
        condition |= predicate()
    return condition


def products_in_use(source: str) -> QuerySet[Product]:
    return Product.objects.filter(in_use_condition(), source=source)


def _recommended() -> Q:
    return Q(is_recommended=True)


def _recent() -> Q:
    return Q(created_at__gte=timezone.now() - conf.refresh_recent())


in_use_register("recommended", _recommended)
in_use_register("recent", _recent)
