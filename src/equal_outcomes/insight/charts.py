"""Accessible bar charts as SVG geometry: the template draws them with a title and a
description, and every chart is followed by a table of the same numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH = 640
LABEL = 210  # room for category labels on the left
ROW = 28
BAR = 18


@dataclass
class Bar:
    label: str
    value: float | None  # None: withheld or no data
    low: float | None = None
    high: float | None = None
    text: str = ""  # the value as shown, e.g. "62%" or "[c]"
    flag: str = ""
    # Geometry, filled in by ``bar_chart``.
    y: float = 0
    x: float = 0
    width: float = 0
    whisker_x1: float = 0
    whisker_x2: float = 0
    text_x: float = 0
    text_y: float = 0
    middle_y: float = 0


@dataclass
class Chart:
    title: str
    description: str
    bars: list[Bar]
    marks: list[tuple[float, str, float]] = field(default_factory=list)  # (value, label, x)
    width: int = WIDTH
    height: int = 0
    plot_left: int = LABEL
    plot_width: int = WIDTH - LABEL - 60


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and not math.isnan(value):
        return float(value)
    return None


def bar_chart(
    title: str,
    description: str,
    bars: list[Bar],
    *,
    maximum: float | None = None,
    marks: list[tuple[float, str]] | None = None,
) -> Chart:
    """Horizontal bars from 0 to ``maximum`` (the largest value or interval end if None)."""
    chart = Chart(title, description, bars)
    values = [v for b in bars for v in (_number(b.value), _number(b.high)) if v is not None]
    top = maximum if maximum is not None else max(values, default=1.0) or 1.0
    scale = chart.plot_width / top
    for index, bar in enumerate(bars):
        bar.y = 10 + index * ROW
        bar.x = chart.plot_left
        value = _number(bar.value)
        bar.width = max(0.0, min(value, top) * scale) if value is not None else 0
        bar.text_y = bar.y + 14
        bar.middle_y = bar.y + BAR / 2
        low, high = _number(bar.low), _number(bar.high)
        if low is not None and high is not None:
            bar.whisker_x1 = chart.plot_left + max(0.0, low) * scale
            bar.whisker_x2 = chart.plot_left + min(high, top) * scale
        bar.text_x = max(bar.x + bar.width, bar.whisker_x2) + 6  # clear of bar and interval
    chart.marks = [
        (value, label, chart.plot_left + value * scale) for value, label in (marks or [])
    ]
    # Room below the bars for the marks' labels, descenders included ("Achieving 60%" was cut).
    chart.height = 20 + len(bars) * ROW + (10 if marks else 0)
    return chart
