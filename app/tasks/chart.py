"""A horizontal stacked bar chart as inline SVG, drawn on the server: no script, no library, readable by screen
readers (a <title> and <desc> for the chart, a <title> on every bar and segment).

Pure: numbers and words in, SVG text out. Presentation attributes only (fill, font-size), since the pages'
Content-Security-Policy allows no inline style.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

LABEL_WIDTH = 230  # room for the names on the left
LABEL_CHARS = 32  # longer names are cut (the full name is in the bar's <title>)
BAR_HEIGHT = 20
BAR_GAP = 8
PLOT_WIDTH = 520
LEGEND_HEIGHT = 28
AXIS_HEIGHT = 22
MARGIN = 8
TOTAL_ROOM = 44  # the total written after the longest bar
FONT = "Segoe UI, Noto Sans, DejaVu Sans, Arial, sans-serif"


@dataclass(frozen=True)
class Series:
    """One kind of segment: its name in the legend and its colour."""

    name: str
    colour: str


@dataclass(frozen=True)
class Bar:
    """One row: its name and one value per series, in the order of the series."""

    label: str
    values: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.values)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nice_step(largest: int, ticks: int = 5) -> int:
    """A round step (1, 2, 5 times a power of ten) that divides 0..largest into about `ticks` parts."""
    if largest <= 0:
        return 1
    rough = largest / ticks
    power = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * power >= rough:
            return max(1, int(factor * power))
    return int(10 * power)


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def stacked_bars(
    bars: Sequence[Bar], series: Sequence[Series], *, title: str, description: str = "", chart_id: str = "chart"
) -> str:
    """The SVG of one horizontal bar per row, its segments stacked in the order of `series`, with a legend
    above and a scale below. Every bar is drawn to the same scale (the largest total fills the plot)."""
    if any(len(bar.values) != len(series) for bar in bars):
        raise ValueError("every bar needs one value per series")
    if any(v < 0 for bar in bars for v in bar.values):
        raise ValueError("values are counts: none below zero")
    largest = max((bar.total for bar in bars), default=0)
    step = nice_step(largest)
    top = step * math.ceil(largest / step) if largest else step
    scale = PLOT_WIDTH / top
    width = MARGIN + LABEL_WIDTH + PLOT_WIDTH + TOTAL_ROOM
    plot_top = MARGIN + LEGEND_HEIGHT
    height = plot_top + len(bars) * (BAR_HEIGHT + BAR_GAP) + AXIS_HEIGHT + MARGIN
    left = MARGIN + LABEL_WIDTH
    chart_id = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) or "chart"  # it names ids that other attributes refer to
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' role="img" aria-labelledby="{title_id} {desc_id}" font-family={quoteattr(FONT)} font-size="12"'
        f' id="{chart_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    # The legend: a swatch and a name per series, left to right.
    x = left
    out.append('<g class="legend">')
    for item in series:
        out.append(
            f'<g><title>{escape(item.name)}</title><rect x="{x}" y="{MARGIN + 2}" width="12" height="12"'
            f" fill={quoteattr(item.colour)}/>"
            f'<text x="{x + 16}" y="{MARGIN + 12}" fill="#1d2733">{escape(item.name)}</text></g>'
        )
        x += 16 + 7 * len(item.name) + 18
    out.append("</g>")
    # The scale: vertical lines at each step, their numbers below.
    axis_y = plot_top + len(bars) * (BAR_HEIGHT + BAR_GAP)
    out.append('<g class="scale" fill="#5f6b78">')
    for tick in range(0, top + 1, step):
        tx = left + tick * scale
        out.append(
            f'<line x1="{_number(tx)}" y1="{plot_top - 4}" x2="{_number(tx)}" y2="{axis_y}" stroke="#d9dee4"/>'
            f'<text x="{_number(tx)}" y="{axis_y + 15}" text-anchor="middle">{tick}</text>'
        )
    out.append("</g>")
    # The bars.
    for index, bar in enumerate(bars):
        y = plot_top + index * (BAR_HEIGHT + BAR_GAP)
        parts = ", ".join(f"{item.name}: {value}" for item, value in zip(series, bar.values, strict=True))
        out.append(f'<g class="bar"><title>{escape(bar.label)}: {bar.total} ({escape(parts)})</title>')
        out.append(
            f'<text x="{left - 6}" y="{y + BAR_HEIGHT / 2 + 4:g}" text-anchor="end" fill="#1d2733">'
            f"{escape(_short(bar.label))}</text>"
        )
        x_at = float(left)
        for item, value in zip(series, bar.values, strict=True):
            if value == 0:
                continue
            segment = value * scale
            out.append(
                f'<rect x="{_number(x_at)}" y="{y}" width="{_number(segment)}" height="{BAR_HEIGHT}"'
                f" fill={quoteattr(item.colour)}><title>{escape(bar.label)} · {escape(item.name)}: {value}</title>"
                "</rect>"
            )
            if segment >= 8 * len(str(value)) + 6:
                out.append(
                    f'<text x="{_number(x_at + segment / 2)}" y="{y + BAR_HEIGHT / 2 + 4:g}" text-anchor="middle"'
                    f' fill="#fff" aria-hidden="true">{value}</text>'
                )
            x_at += segment
        out.append(
            f'<text x="{_number(x_at + 4)}" y="{y + BAR_HEIGHT / 2 + 4:g}" fill="#5f6b78" aria-hidden="true">'
            f"{bar.total}</text></g>"
        )
    out.append("</svg>")
    return "".join(out)
