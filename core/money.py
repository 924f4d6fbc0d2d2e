"""Money as integer fen, rates as integer basis points.

Every rounding in the platform happens here: round half up per line, and a fee is
split off so that ``amount == fee + net`` holds exactly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

BP_PER_UNIT = 10_000  # 10000 bp = 100 %
_YUAN_RE = re.compile(r"^\s*(?P<sign>-)?(?P<int>\d+)(?:\.(?P<frac>\d{1,2}))?\s*$")
_PERCENT_RE = re.compile(r"^\s*(?P<int>\d+)(?:\.(?P<frac>\d{1,2}))?\s*%?\s*$")


class MoneyFormatError(ValueError):
    """Text that is not an amount of yuan with at most two decimals."""


def yuan_to_fen(text: str | int) -> int:
    """Parse ``"12.5"`` / ``"12.50"`` / ``12`` (yuan) into fen, exactly, without floats."""
    if isinstance(text, int):
        return text * 100
    m = _YUAN_RE.match(str(text))
    if not m:
        raise MoneyFormatError(f"not an amount in yuan: {text!r}")
    frac = (m["frac"] or "").ljust(2, "0")
    fen = int(m["int"]) * 100 + int(frac or 0)
    return -fen if m["sign"] else fen


def fen_to_yuan(fen: int) -> str:
    """Format fen as a yuan string with two decimals: 1234 → ``"12.34"``."""
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def percent_to_bp(text: str | int) -> int:
    """Parse a percentage (``"12.5"``, ``"12.5%"``) into basis points (1250)."""
    if isinstance(text, int):
        return text * 100
    m = _PERCENT_RE.match(str(text))
    if not m:
        raise MoneyFormatError(f"not a percentage: {text!r}")
    frac = (m["frac"] or "").ljust(2, "0")
    return int(m["int"]) * 100 + int(frac or 0)


def bp_to_percent(bp: int) -> str:
    """Format basis points as a percentage string: 1250 → ``"12.50%"``."""
    return f"{bp // 100}.{bp % 100:02d}%"


def div_round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounding half away from zero (the only rounding rule we use)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if numerator >= 0 else -q


def apply_rate(amount_fen: int, rate_bp: int) -> int:
    """``amount × rate`` rounded half up to the fen: commission of one order line."""
    return div_round_half_up(amount_fen * rate_bp, BP_PER_UNIT)


@dataclass(frozen=True)
class FeeSplit:
    gross_fen: int
    fee_fen: int
    net_fen: int


def split_fee(gross_fen: int, fee_bp: int) -> FeeSplit:
    """Take the platform's fee off a commission; ``gross == fee + net`` always."""
    fee = apply_rate(gross_fen, fee_bp)
    return FeeSplit(gross_fen=gross_fen, fee_fen=fee, net_fen=gross_fen - fee)
