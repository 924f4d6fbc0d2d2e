"""Shared admin helpers (issue 10 item 10, issue 12 §6): money in yuan wherever an operator
reads it.

Money is stored in fen (``*_fen``); an admin that mixes in :class:`YuanAdminMixin` shows every
``*_fen`` column of ``list_display`` and every read-only ``*_fen`` field as ``¥12.34`` with
the field's label minus its "(fen)" unit. For a column on a related object use :func:`yuan`.
"""
from __future__ import annotations

import re

from .money import fen_to_yuan

_UNIT = re.compile(r"\s*[（(]\s*(fen|分)\s*[)）]\s*", re.IGNORECASE)


def yuan_text(fen) -> str:
    """``¥12.34`` for 1234 fen, ``—`` for nothing."""
    if fen is None or fen == "":
        return "—"
    return f"¥{fen_to_yuan(int(fen))}"


def _label(verbose_name) -> str:
    return _UNIT.sub("", str(verbose_name)).strip()


class _Label:
    """A lazy label: the field's verbose name, translated when shown, without its fen unit."""

    def __init__(self, verbose_name):
        self.verbose_name = verbose_name

    def __str__(self) -> str:
        return _label(self.verbose_name)


def yuan(field_name: str, description=None, *, attr: str | None = None):
    """An admin display callable showing ``obj.<attr or field_name>`` (fen) in yuan."""
    path = (attr or field_name).split("__")

    def display(obj):
        value = obj
        for part in path:
            value = getattr(value, part, None)
            if value is None:
                break
        return yuan_text(value)

    display.short_description = description or field_name
    display.admin_order_field = field_name
    display.__name__ = f"{field_name}_yuan"
    return display


def _yuan_name(name):
    return f"{name}_yuan" if isinstance(name, str) and name.endswith("_fen") else name


class YuanAdminMixin:
    """Show ``*_fen`` fields in yuan in the change list and among read-only fields.

    Works for ``ModelAdmin`` and inlines. Fen fields an operator may edit stay as they are
    (none should: prices and amounts change through actions that call services)."""

    def __getattr__(self, name):
        if name.endswith("_fen_yuan"):
            field_name = name[: -len("_yuan")]
            try:
                field = self.model._meta.get_field(field_name)
            except Exception:  # noqa: BLE001 - not a model field: no such attribute
                raise AttributeError(name) from None
            return yuan(field_name, _Label(field.verbose_name))
        raise AttributeError(name)

    def _fen_readonly(self, request, obj=None) -> set[str]:
        return {n for n in super().get_readonly_fields(request, obj) if isinstance(n, str) and n.endswith("_fen")}

    def get_list_display(self, request):
        return [_yuan_name(n) for n in super().get_list_display(request)]

    def get_readonly_fields(self, request, obj=None):
        return [_yuan_name(n) for n in super().get_readonly_fields(request, obj)]

    def get_fieldsets(self, request, obj=None):
        fen = self._fen_readonly(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):  # view only: all read-only
            fen |= {f.name for f in self.model._meta.fields if f.name.endswith("_fen")}
        if not fen:
            return super().get_fieldsets(request, obj)
        out = []
        for title, options in super().get_fieldsets(request, obj):
            fields, seen = [], set()
            for entry in options.get("fields", ()):
                if isinstance(entry, (list, tuple)):
                    entry = tuple(_yuan_name(n) if n in fen else n for n in entry)
                    fields.append(entry)
                    continue
                name = _yuan_name(entry) if entry in fen else entry
                if name not in seen:
                    seen.add(name)
                    fields.append(name)
            out.append((title, {**options, "fields": fields}))
        return out

    def get_exclude(self, request, obj=None):
        """Read-only fen fields are shown by their ``*_yuan`` twin: keep the raw field out of forms."""
        fen = self._fen_readonly(request, obj)
        excluded = super().get_exclude(request, obj)
        if not fen:
            return excluded
        return [*(excluded or []), *sorted(fen)]
