from django import template

from core.money import div_round_half_up, fen_to_yuan

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """Fen as yuan with two decimals and thousands separators: 123456 → 1,234.56."""
    if fen in (None, ""):
        return ""
    whole, frac = fen_to_yuan(int(fen)).split(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}.{frac}"


@register.filter
def bp_percent(bp) -> str:
    """Basis points as a percentage with two decimals: 1234 → 12.34%, -562 → -5.62%."""
    bp = int(bp or 0)
    sign = "-" if bp < 0 else ""
    return f"{sign}{abs(bp) // 100}.{abs(bp) % 100:02d}%"


@register.filter
def signed_bp_percent(bp) -> str:
    """A change: +12.34% / -5.62% / 0.00%."""
    return ("+" if int(bp or 0) > 0 else "") + bp_percent(bp)


@register.filter
def change_bp(pair) -> int | None:
    """(current, previous) → change in basis points (rounded half up), None without a previous value."""
    current, previous = pair
    if not previous:
        return None
    return div_round_half_up((current - previous) * 10_000, previous)


@register.simple_tag
def pair(a, b):
    return (a, b)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
