"""Charts drawn on the server as inline SVG: no script, no CDN, readable without JS.

Each chart scales to its container (``viewBox`` + ``width: 100%``), carries a ``<title>``
and ``aria-label`` for screen readers, and a ``<title>`` on every point or bar so that a
pointer hovering it shows the exact number. The numbers are also in a table beside it.
"""
from __future__ import annotations

import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.money import fen_to_yuan


def _nice_ceiling(value: int) -> int:
    """Top of the y axis: four equal gridline steps, each a round whole number
    (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10ⁿ), reaching ``value``: 23 → 24, 2_500 → 3_200."""
    if value <= 4:
        return 4
    raw = -(-value // 4)  # ceil(value / 4): the smallest step that reaches value
    magnitude = 1
    while magnitude * 10 < raw:
        magnitude *= 10
    for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        step = factor * magnitude
        if step >= raw and step == int(step):
            return int(step) * 4
    return 40 * magnitude


def compact(value: int, *, money: bool = False) -> str:
    """Short axis labels: 12万 / 120k. Money in fen is shown in yuan."""
    amount = value / 100 if money else value
    zh = (get_language() or "zh-hans").startswith("zh")
    prefix = "¥" if money else ""
    if zh and abs(amount) >= 10_000:
        text = f"{amount / 10_000:.1f}".rstrip("0").rstrip(".") + "万"
    elif not zh and abs(amount) >= 1_000_000:
        text = f"{amount / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"
    elif not zh and abs(amount) >= 1_000:
        text = f"{amount / 1_000:.1f}".rstrip("0").rstrip(".") + "k"
    else:
        text = f"{amount:g}" if not money else f"{amount:.0f}" if amount == int(amount) else f"{amount:.2f}"
    return prefix + text


def exact(value: int, *, money: bool = False) -> str:
    if not money:
        return f"{value:,}"
    whole, frac = fen_to_yuan(value).split(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}¥{int(whole.lstrip('-')):,}.{frac}"


def line_chart(points: list[tuple[datetime.date, int]], *, label: str, money: bool = False,
               css_class: str = "", width: int = 440, height: int = 190) -> SafeString:
    """One metric over days: an area line with y gridlines and first/middle/last dates."""
    left, right, top, bottom = 56, 12, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_ceiling(max((v for _, v in points), default=0))
    n = len(points)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: int) -> float:
        return top + plot_h - plot_h * v / peak

    parts = [
        f'<svg class="chart chart--line {escape(css_class)}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
    ]
    for step in range(5):
        value = peak * step // 4
        gy = y(value)
        parts.append(f'<line class="chart__grid" x1="{left}" x2="{width - right}" y1="{gy:.1f}" y2="{gy:.1f}"/>')
        parts.append(f'<text class="chart__axis" x="{left - 6}" y="{gy + 5:.1f}" text-anchor="end">'
                     f"{escape(compact(value, money=money))}</text>")
    if n:
        coords = [(x(i), y(v)) for i, (_, v) in enumerate(points)]
        line = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
        base_y = y(0)
        parts.append(f'<polygon class="chart__area" points="{coords[0][0]:.1f},{base_y:.1f} {line} '
                     f'{coords[-1][0]:.1f},{base_y:.1f}"/>')
        parts.append(f'<polyline class="chart__line" points="{line}"/>')
        radius = 3 if n <= 31 else 1.6
        for (cx, cy), (day, value) in zip(coords, points, strict=True):
            parts.append(f'<circle class="chart__dot" cx="{cx:.1f}" cy="{cy:.1f}" r="{radius}">'
                         f"<title>{day:%m-%d}: {escape(exact(value, money=money))}</title></circle>")
        for i in sorted({0, (n - 1) // 2, n - 1}):
            anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
            parts.append(f'<text class="chart__axis" x="{x(i):.1f}" y="{height - 6}" text-anchor="{anchor}">'
                         f"{points[i][0]:%m-%d}</text>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every dynamic piece above is escaped


def bar_chart(items: list[tuple[str, int]], *, label: str, money: bool = False,
              width: int = 480, row_height: int = 36) -> SafeString:
    """Horizontal bars, one per item (channels), the exact value at the end of each bar."""
    left, right = 124, 112
    height = row_height * max(len(items), 1) + 8
    peak = max((v for _, v in items), default=0) or 1
    plot_w = width - left - right
    parts = [
        f'<svg class="chart chart--bars" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
    ]
    for i, (name, value) in enumerate(items):
        top = 4 + i * row_height
        bar_w = max(plot_w * max(value, 0) / peak, 0)
        parts.append(f'<text class="chart__label" x="{left - 8}" y="{top + row_height / 2 + 6:.1f}" '
                     f'text-anchor="end">{escape(name)}</text>')
        parts.append(f'<rect class="chart__bar chart__bar--{i}" x="{left}" y="{top + 5}" width="{bar_w:.1f}" '
                     f'height="{row_height - 10}" rx="3"><title>{escape(name)}: '
                     f"{escape(exact(value, money=money))}</title></rect>")
        parts.append(f'<text class="chart__value" x="{left + bar_w + 6:.1f}" y="{top + row_height / 2 + 6:.1f}">'
                     f"{escape(exact(value, money=money))}</text>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every dynamic piece above is escaped
