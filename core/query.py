"""Query parameters the API documents as booleans or integers: a value that is neither is refused
(400 naming the parameter) rather than read as "not given"."""
from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import InvalidInput

TRUE, FALSE = ("true", "1"), ("false", "0")


def query_bool(params, name: str) -> bool | None:
    """``true``/``1`` or ``false``/``0``; None when absent; 400 otherwise."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise InvalidInput(_("Use true or false."), field=name)


def query_int(params, name: str) -> int | None:
    """A whole number of at least 1; None when absent; 400 otherwise."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if not value.isdigit() or int(value) < 1 or len(value) > 18:
        raise InvalidInput(_("Use a whole number of at least 1."), field=name)
    return int(value)
