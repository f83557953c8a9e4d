"""Geometry of the dashboard's SVG charts: pure functions from figures to coordinates.

Templates draw the shapes; these functions only place them, in a 640-wide viewBox that
scales to the page. Departments differ by marker shape (sales a filled circle, marketing an
open square; heads a diamond) as well as colour, so the charts read in black and white.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scoring.core import BANDS, MAX_SCORE, MIN_SCORE
from scoring.stats import Interval

WIDTH = 640
LEFT = 150  # room for row labels
RIGHT = 600
ROW = 34
TOP = 30  # room for the band names above the rows
DOT = 7  # diameter of a strip-plot dot
MAX_STACK = 12  # a strip-plot column holds at most this many dots


def x_of(value: float, low: float, high: float) -> float:
    """The x coordinate of `value` on an axis from `low` (LEFT) to `high` (RIGHT)."""
    return round(LEFT + (value - low) / (high - low) * (RIGHT - LEFT), 1)


@dataclass(frozen=True)
class Point:
    x: float
    label: str  # the value as printed beside the marker
    shape: str  # "circle", "square", "diamond"
    series: str  # "sales", "marketing", "heads", "staff", "combined": the CSS class
    low: float | None = None  # whisker ends, when there is an interval
    high: float | None = None


@dataclass(frozen=True)
class Row:
    y: float
    label: str
    points: tuple[Point, ...]
    sublabel: str = ""  # a second, smaller line under the label

    @property
    def cap_top(self) -> float:
        return self.y - 5

    @property
    def cap_bottom(self) -> float:
        return self.y + 5

    @property
    def label_y(self) -> float:
        return self.y - 11


@dataclass(frozen=True)
class BandArea:
    key: str
    name: str
    x: float
    width: float
    label_x: float


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


def score_point(
    value: float, interval: Interval | None, *, label: str, shape: str, series: str
) -> Point:
    """A marker on the 20..100 scale, with its interval as a whisker when there is one."""
    return Point(
        x=x_of(value, MIN_SCORE, MAX_SCORE),
        label=label,
        shape=shape,
        series=series,
        low=None if interval is None else x_of(interval.low, MIN_SCORE, MAX_SCORE),
        high=None if interval is None else x_of(interval.high, MIN_SCORE, MAX_SCORE),
    )


def rows(labelled: Sequence[tuple[str, str, Sequence[Point]]], *, top: float = TOP) -> list[Row]:
    """Rows one below the other, each centred in a band ROW high: (label, sublabel, points)."""
    return [
        Row(y=top + ROW * i + ROW / 2, label=label, sublabel=sublabel, points=tuple(points))
        for i, (label, sublabel, points) in enumerate(labelled)
    ]


def band_areas(names: dict[str, str]) -> list[BandArea]:
    """The four bands as areas of the 20..100 axis; `names` maps band key to its name.

    A band's area runs from its lower edge to the next band's (40, 60, 80), matching how
    means are classified; the last ends at 100.
    """
    edges = [b.low for b in BANDS] + [MAX_SCORE]
    areas = []
    for band, start, end in zip(BANDS, edges, edges[1:], strict=False):
        x0, x1 = x_of(start, MIN_SCORE, MAX_SCORE), x_of(end, MIN_SCORE, MAX_SCORE)
        key = band.type.value
        areas.append(BandArea(key, names[key], x0, round(x1 - x0, 1), round((x0 + x1) / 2, 1)))
    return areas


def score_ticks() -> list[Tick]:
    return [Tick(x_of(v, MIN_SCORE, MAX_SCORE), str(v)) for v in (20, 40, 60, 80, 100)]


def rating_ticks() -> list[Tick]:
    return [Tick(x_of(v, 1, 5), str(v)) for v in range(1, 6)]


@dataclass(frozen=True)
class Dot:
    x: float
    y: float


def strip_dots(histogram: Sequence[tuple[int, int]], *, baseline: float, per_dot: int) -> list[Dot]:
    """Dots stacked upwards from `baseline` at each score, one dot per `per_dot` people
    (rounded up, so a score somebody has never disappears)."""
    dots = []
    for score, count in histogram:
        x = x_of(score, MIN_SCORE, MAX_SCORE)
        for level in range(math.ceil(count / per_dot)):
            dots.append(Dot(x, round(baseline - DOT / 2 - level * DOT, 1)))
    return dots


def people_per_dot(histograms: Sequence[Sequence[tuple[int, int]]]) -> int:
    """1 while every column fits MAX_STACK dots, else the smallest count that makes it fit,
    the same for every group so that the strips compare."""
    tallest = max((count for h in histograms for _, count in h), default=0)
    return max(1, math.ceil(tallest / MAX_STACK))
