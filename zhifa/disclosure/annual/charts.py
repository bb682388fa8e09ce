"""Server-rendered SVG charts of the 年报 (no JavaScript): horizontal bars and stacked bars.

Horizontal bars keep long Chinese labels readable on a phone; the same SVG goes into the PDF.
Every label passes through escape(): chart specs come from the stored snapshot.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 460
LABEL_WIDTH = 140
VALUE_WIDTH = 80
ROW = 30
BAR = 20
LEGEND_COLUMNS = 3
PALETTE = ("#1f5fa8", "#2e9e6a", "#e0a100", "#c0392b", "#7d4fb0", "#5b6b7a", "#d35400", "#16a2b8")
FONT = 'font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif" font-size="15"'


def _number(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _shown(value: Decimal) -> str:
    return f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"


def render(chart: dict[str, Any]) -> SafeString:
    if chart.get("type") == "stacked":
        return stacked(chart)
    return bar(chart)


def _svg(height: int, title: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="annual-chart" {FONT}>'
        f"<title>{escape(title)}</title>"
    )
    return mark_safe(head + "".join(body) + "</svg>")


def bar(chart: dict[str, Any]) -> SafeString:
    labels = [str(label) for label in chart.get("labels", [])]
    values = [_number(v) for v in chart.get("values", [])]
    top = max(values, default=Decimal(0)) or Decimal(1)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    body: list[str] = []
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        y = i * ROW + 6
        width = int(span * value / top)
        colour = PALETTE[i % len(PALETTE)]
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR - 5}" text-anchor="end" fill="#333">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(width, 1)}" height="{BAR}" fill="{colour}" rx="2"/>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + BAR - 4}" fill="#333">{escape(_shown(value))}</text>'
        )
    return _svg(len(labels) * ROW + 10, str(chart.get("title", "")), body)


def stacked(chart: dict[str, Any]) -> SafeString:
    categories = [str(c) for c in chart.get("categories", [])]
    # Empty series leave the legend, but each keeps its colour (the same as in the plain bars).
    series = [
        (PALETTE[i % len(PALETTE)], s)
        for i, s in enumerate(chart.get("series", []))
        if any(_number(v) for v in s.get("values", []))
    ]
    totals = [sum((_number(s["values"][i]) for _, s in series), Decimal(0)) for i in range(len(categories))]
    top = max(totals, default=Decimal(0)) or Decimal(1)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    body: list[str] = []
    # Legend first, wrapped in rows of four.
    for i, (colour, s) in enumerate(series):
        x, y = 6 + (i % LEGEND_COLUMNS) * 150, 4 + (i // LEGEND_COLUMNS) * 22
        body.append(
            f'<rect x="{x}" y="{y + 1}" width="13" height="13" fill="{colour}"/>'
            f'<text x="{x + 18}" y="{y + 13}" fill="#333">{escape(str(s["label"]))}</text>'
        )
    offset = -(-len(series) // LEGEND_COLUMNS) * 22 + 10
    for row, category in enumerate(categories):
        y = offset + row * ROW
        left = Decimal(LABEL_WIDTH)
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR - 4}" text-anchor="end" fill="#333">{escape(category)}</text>'
        )
        for colour, s in series:
            value = _number(s["values"][row])
            if not value:
                continue
            width = span * value / top
            body.append(
                f'<rect x="{left:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" '
                f'fill="{colour}"><title>{escape(str(s["label"]))}：{escape(_shown(value))}</title></rect>'
            )
            left += width
        body.append(
            f'<text x="{left + 6:.1f}" y="{y + BAR - 4}" fill="#333">{escape(_shown(totals[row]))}</text>'
        )
    return _svg(offset + len(categories) * ROW + 6, str(chart.get("title", "")), body)
