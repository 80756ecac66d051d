"""A small chart of a figure that changed over time, drawn on the server as SVG: its values by date,
one point per value with what the source wrote, a line through them in time order.

The markup holds no script and no style of its own (the page's stylesheet can address the classes);
every piece of text in it comes from the brief and is escaped, since source text is data.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

WIDTH, HEIGHT = 320, 120
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 10, 22  # room for the value labels on the left, the dates below


def dated_values(item: dict[str, Any]) -> list[tuple[date, float, dict[str, Any]]]:
    """The item's values that have a date, in time order (then by value): (day, value, claim)."""
    points = []
    for claim in item.get("claims", []):
        day, value = claim.get("date"), claim.get("value")
        if not day or not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        try:
            points.append((date.fromisoformat(str(day)[:10]), float(value), claim))
        except ValueError:
            continue
    return sorted(points, key=lambda p: (p[0], p[1]))


def figure_chart(item: dict[str, Any]) -> str | None:
    """SVG markup of the values of one quantity by date (a disagreement or update as the brief's JSON
    has it), or None when fewer than two of its values have a date, or all fall on one day."""
    points = dated_values(item)
    if len(points) < 2 or points[0][0] == points[-1][0]:
        return None
    first, last = points[0][0], points[-1][0]
    low, high = min(p[1] for p in points), max(p[1] for p in points)
    if low == high:
        low, high = low - 1, high + 1
    span_days = (last - first).days
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + inner_w * (day - first).days / span_days

    def y(value: float) -> float:
        return TOP + inner_h * (high - value) / (high - low)

    unit = next((str(c.get("unit")) for _, _, c in points if c.get("unit")), "")
    name = str(item.get("quantity") or item.get("subject") or "figure")
    title = f"{name}: values by date"
    line = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v, _ in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="figure-chart" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line class="axis" x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - RIGHT}" y2="{TOP + inner_h}" '
        f'stroke="currentColor" stroke-opacity="0.4"/>',
        f'<text class="value-label" x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end" font-size="10">'
        f"{escape(_number(high, unit))}</text>",
        f'<text class="value-label" x="{LEFT - 4}" y="{TOP + inner_h}" text-anchor="end" font-size="10">'
        f"{escape(_number(low, unit))}</text>",
        f'<text class="date-label" x="{LEFT}" y="{HEIGHT - 6}" text-anchor="start" font-size="10">'
        f"{first.isoformat()}</text>",
        f'<text class="date-label" x="{WIDTH - RIGHT}" y="{HEIGHT - 6}" text-anchor="end" font-size="10">'
        f"{last.isoformat()}</text>",
        f'<polyline class="values" points="{line}" fill="none" stroke="currentColor" stroke-width="1.5"/>',
    ]
    for day, value, claim in points:
        who = f", {claim['claimed_by']}" if claim.get("claimed_by") else ""
        label = f"{claim.get('text') or _number(value, unit)} ({day.isoformat()}{who})"
        parts.append(f'<circle class="value" cx="{x(day):.1f}" cy="{y(value):.1f}" r="3" fill="currentColor" '
                     f'data-date="{day.isoformat()}" data-value="{value:g}"><title>{escape(label)}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def _number(value: float, unit: str) -> str:
    """A value as an axis label: "14", "2.5", "$1,200", "4.5%"."""
    shown = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit == "%":
        return f"{shown}%"
    if unit and not unit.isalpha():  # a currency sign
        return f"{unit}{shown}"
    return shown
