"""Reading the sources' numbers and times exactly: JSON numbers become ``Decimal`` (never a
float), yuan become integer fen, percentages and fractions become basis points, and every
source's wall-clock time is GMT+8 (Asia/Shanghai).
"""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from core.money import BP_PER_UNIT, div_round_half_up

CN_TZ = ZoneInfo("Asia/Shanghai")
CN_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class ValueFormatError(ValueError):
    """A number or time in a source's answer that is not what its protocol promises."""


def loads(text: str | bytes) -> Any:
    """``json.loads`` with every non-integer number as ``Decimal``: money never meets a float."""
    return json.loads(text, parse_float=Decimal)


def dumps_compact(obj: Any) -> str:
    """Compact JSON (no spaces), UTF-8 text as is: the form JD and Vipshop sign."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValueFormatError(f"not a number: {value!r}")
    if isinstance(value, int | Decimal):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().rstrip("%") or "0")
        except InvalidOperation:
            raise ValueFormatError(f"not a number: {value!r}")
    else:
        # A float here means someone parsed JSON without ``loads``: refuse rather than guess.
        raise ValueFormatError(f"not an exact number: {value!r}")
    if not result.is_finite():
        raise ValueFormatError(f"not a finite number: {value!r}")
    return result


def _scaled(value: Any, factor: int) -> int:
    """``value × factor`` as an integer, rounded half up (via ``core.money``) past the unit."""
    numerator, denominator = decimal(value).as_integer_ratio()
    return div_round_half_up(numerator * factor, denominator)


def fen(value: Any) -> int:
    """Yuan (``"12.50"``, ``12.5`` as Decimal, ``12``) → fen. Blank or missing → 0."""
    if value in (None, ""):
        return 0
    return _scaled(value, 100)


def bp_from_percent(value: Any) -> int:
    """A percentage (``"15.5"``, ``"15.5%"``) → basis points (1550)."""
    if value in (None, ""):
        return 0
    return _scaled(value, 100)


def bp_from_fraction(value: Any) -> int:
    """A fraction (``"0.035"`` = 3.5 %) → basis points (350)."""
    if value in (None, ""):
        return 0
    return _scaled(value, BP_PER_UNIT)


def x100(value: Any) -> int | None:
    """A score (``"4.85"``) → hundredths (485); None when the source gives none."""
    if value in (None, ""):
        return None
    return _scaled(value, 100)


def integer(value: Any, default: int = 0) -> int:
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        raise ValueFormatError(f"not an integer: {value!r}")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueFormatError(f"not an integer: {value!r}")


def cn_time(text: str | None) -> datetime | None:
    """``"yyyy-MM-dd HH:mm:ss"`` in GMT+8 → an aware datetime; blank → None."""
    if not text:
        return None
    try:
        return datetime.strptime(str(text).strip(), CN_TIME_FORMAT).replace(tzinfo=CN_TZ)
    except ValueError:
        raise ValueFormatError(f"not a time: {text!r}")


def cn_time_str(moment: datetime) -> str:
    """An aware datetime → ``"yyyy-MM-dd HH:mm:ss"`` in GMT+8."""
    return _aware(moment).astimezone(CN_TZ).strftime(CN_TIME_FORMAT)


def from_ms(value: Any) -> datetime | None:
    """Unix milliseconds → an aware datetime; blank or 0 → None."""
    ms = integer(value, 0)
    if not ms:
        return None
    seconds, millis = divmod(ms, 1000)
    return datetime.fromtimestamp(seconds, CN_TZ).replace(microsecond=millis * 1000)


def to_ms(moment: datetime) -> int:
    moment = _aware(moment)
    return int(moment.timestamp()) * 1000 + moment.microsecond // 1000


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the sources need an aware one")
    return moment
