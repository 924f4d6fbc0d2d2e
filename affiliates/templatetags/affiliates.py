"""Money, rates and shop scores as the pool's cards show them."""
from django import template

from core.money import apply_rate, bp_to_percent, fen_to_yuan

from .. import gate

register = template.Library()


@register.filter
def yuan(fen) -> str:
    return "" if fen is None else fen_to_yuan(int(fen))


@register.filter
def percent(bp) -> str:
    """1250 → "12.5%", 2000 → "20%" (trailing zeros dropped for a card)."""
    if bp is None:
        return ""
    text = bp_to_percent(int(bp))[:-1].rstrip("0").rstrip(".")
    return f"{text}%"


@register.filter
def commission_yuan(product) -> str:
    """Estimated commission of one sale at the listed price."""
    return fen_to_yuan(apply_rate(product.price_fen, product.commission_rate_bp))


@register.filter
def score(value) -> str:
    return "–" if value is None else gate.score_text(int(value))


@register.filter
def gate_messages(product) -> list[str]:
    return gate.failure_messages(product.gate_failures)


@register.simple_tag
def shop_scores(product) -> list[dict]:
    """Each DSR with its industry average (or JD's rank) and whether it is above."""
    rows = []
    for metric in gate.DSR_METRICS:
        value = getattr(product, f"shop_dsr_{metric}")
        average = getattr(product, f"industry_dsr_{metric}")
        grade = getattr(product, f"shop_grade_{metric}")
        if value is None and not grade:
            continue
        above = (value > average) if (value is not None and average is not None) else (grade == "high")
        rows.append({"label": gate.metric_label(metric), "score": None if value is None else gate.score_text(value),
                     "average": None if average is None else gate.score_text(average),
                     "grade": gate.grade_label(grade) if grade else "", "above": above})
    return rows


@register.filter
def level_label(product) -> str:
    level = product.shop_credit_level
    if level is None:
        return ""
    return gate.taobao_level_label(level) if product.source == "taobao" else str(level)
