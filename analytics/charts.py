"""Server-rendered SVG charts for the analytics dashboards: a line chart with axis labels and a horizontal
bar chart. Pure (no ORM, no request): the caller passes already-translated titles and labels and a
function that formats a value (money in the active language, a count), and gets accessible markup back:
``<svg role="img" aria-labelledby=...>`` with a ``<title>`` and a ``<desc>``, a ``<title>`` per point.

Colours come from CSS classes (static/css/analytics.css) with presentation attributes as the fallback, so a
page without the stylesheet still draws in the same contrast. Every text is escaped here (``format_html``):
labels can be user content (a category or shop name, a search query).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Colours on white: the line and bars 6.6:1, the axis text 7.6:1, grid lines only decorate.
LINE_COLOUR = "#0b5cad"
BAR_COLOUR = "#0b5cad"
AXIS_COLOUR = "#4b5563"
GRID_COLOUR = "#d5dae1"
FONT_SIZE = 12
CHAR_WIDTH = 7  # px per narrow character at FONT_SIZE; a wide (CJK) character counts twice
MAX_X_LABELS = 6
Y_TICKS = 4


@dataclass(frozen=True, slots=True)
class Point:
    label: str
    value: int


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text) * CHAR_WIDTH


def truncate(text: str, max_width: int) -> str:
    """``text`` cut to fit ``max_width`` px (wide characters count double), with an ellipsis."""
    if _text_width(text) <= max_width:
        return text
    kept = ""
    for char in text:
        if _text_width(kept + char + "…") > max_width:
            break
        kept += char
    return kept + "…"


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is >= ``value`` (axis top), 1 for 0."""
    if value <= 0:
        return 1
    magnitude: int = pow(10, len(str(value)) - 1)
    for numerator, denominator in ((1, 1), (2, 1), (5, 2), (5, 1)):  # integers: sums can pass 2**63
        top = -(-numerator * magnitude // denominator)
        if top >= value:
            return top
    return 10 * magnitude


def axis_ticks(low: int, high: int, count: int = Y_TICKS) -> list[int]:
    """Evenly spaced integer ticks from a multiple of the step at or below ``low`` to the first at or above
    ``high``: at most ``count`` + 1 of them (two at least), the step a "nice" number."""
    step = nice_ceiling(-(-(high - low) // count))
    ticks = [step * (low // step)]
    while ticks[-1] < high or len(ticks) < 2:
        ticks.append(ticks[-1] + step)
    return ticks


def x_label_indexes(count: int, most: int = MAX_X_LABELS) -> list[int]:
    """Which of ``count`` points get a label on the x axis: the first, the last and evenly in between."""
    if count <= most:
        return list(range(count))
    return sorted({round(index * (count - 1) / (most - 1)) for index in range(most)})


def _frame(chart_id: str, title: str, description: str, width: int, height: int) -> SafeString:
    return format_html(
        '<svg class="chart" id="{}" viewBox="0 0 {} {}" width="100%" style="max-width:{}px" '
        'role="img" aria-labelledby="{}-title" aria-describedby="{}-desc" font-size="{}">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        chart_id,
        width,
        height,
        width,
        chart_id,
        chart_id,
        FONT_SIZE,
        chart_id,
        title,
        chart_id,
        description,
    )


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[Point],
    format_value: Callable[[int], str] = str,
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """A line through ``points`` left to right, a y axis of ``Y_TICKS`` + 1 formatted values with grid lines,
    and at most ``MAX_X_LABELS`` x labels. Each point has a ``<title>`` "label: value" (hover/screen
    readers); an empty series draws the axes alone."""
    values = [point.value for point in points]
    ticks = axis_ticks(min([0, *values]), max([0, *values]))
    tick_labels = [format_value(tick) for tick in ticks]
    left = min(max(_text_width(label) for label in tick_labels) + 12, width // 3)
    top, right, bottom = 12, 16, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high = ticks[0], ticks[-1]

    def y_of(value: int) -> float:
        return round(top + plot_h * (high - value) / (high - low), 1)

    def x_of(index: int) -> float:
        if len(points) == 1:
            return round(left + plot_w / 2, 1)
        return round(left + plot_w * index / (len(points) - 1), 1)

    grid = format_html_join(
        "",
        '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
        '<text class="chart-axis" x="{}" y="{}" text-anchor="end" dominant-baseline="middle" fill="{}">{}</text>',
        (
            (
                left,
                width - right,
                y_of(tick),
                y_of(tick),
                GRID_COLOUR,
                left - 6,
                y_of(tick),
                AXIS_COLOUR,
                label,
            )
            for tick, label in zip(ticks, tick_labels, strict=True)
        ),
    )
    x_labels = format_html_join(
        "",
        '<text class="chart-axis" x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>',
        (
            (x_of(i), height - 8, _anchor(i, len(points)), AXIS_COLOUR, truncate(points[i].label, 120))
            for i in x_label_indexes(len(points))
        ),
    )
    path = " ".join(f"{x_of(i)},{y_of(point.value)}" for i, point in enumerate(points))
    line = (
        format_html(
            '<polyline class="chart-line" points="{}" fill="none" stroke="{}" stroke-width="2.5"/>',
            path,
            LINE_COLOUR,
        )
        if len(points) > 1
        else ""
    )
    dots = format_html_join(
        "",
        '<circle class="chart-dot" cx="{}" cy="{}" r="{}" fill="{}"><title>{}: {}</title></circle>',
        (
            (x_of(i), y_of(p.value), 3 if len(points) > 1 else 5, LINE_COLOUR, p.label, format_value(p.value))
            for i, p in enumerate(points)
        ),
    )
    return format_html(
        "{}{}{}{}{}</svg>", _frame(chart_id, title, description, width, height), grid, x_labels, line, dots
    )


def _anchor(index: int, count: int) -> str:
    if count > 1 and index == 0:
        return "start"
    if count > 1 and index == count - 1:
        return "end"
    return "middle"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Point],
    format_value: Callable[[int], str] = str,
    width: int = 640,
) -> SafeString:
    """One horizontal bar per item, top to bottom in the given order: the label on the left (shortened to
    fit, whole in the bar's ``<title>``), the formatted value after the bar. The longest bar spans the
    plot; a negative value draws no bar (its value is still written)."""
    row, gap = 26, 6
    label_w = min(max((_text_width(bar.label) for bar in bars), default=0), width * 2 // 5) + 8
    value_w = min(max((_text_width(format_value(bar.value)) for bar in bars), default=0), width // 4) + 8
    plot_w = max(width - label_w - value_w, 10)
    peak = max((bar.value for bar in bars), default=0)
    height = max(len(bars), 1) * (row + gap) + gap

    def length(value: int) -> int:
        if value <= 0 or peak <= 0:
            return 0
        return max(round(plot_w * value / peak), 1)

    rows = format_html_join(
        "",
        "<g>"
        '<text class="chart-axis" x="{}" y="{}" text-anchor="end" dominant-baseline="middle" fill="{}">{}</text>'
        '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
        '<text class="chart-value" x="{}" y="{}" dominant-baseline="middle" fill="{}">{}</text>'
        "</g>",
        (
            (
                label_w - 8,
                gap + index * (row + gap) + row / 2,
                AXIS_COLOUR,
                truncate(bar.label, label_w - 8),
                label_w,
                gap + index * (row + gap),
                length(bar.value),
                row,
                BAR_COLOUR,
                bar.label,
                format_value(bar.value),
                label_w + length(bar.value) + 4,
                gap + index * (row + gap) + row / 2,
                AXIS_COLOUR,
                format_value(bar.value),
            )
            for index, bar in enumerate(bars)
        ),
    )
    return format_html("{}{}</svg>", _frame(chart_id, title, description, width, height), rows)
