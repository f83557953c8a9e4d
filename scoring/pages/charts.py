"""Geometry of the dashboard's SVG charts: pure functions from figures to coordinates.

Templates draw the shapes; these functions only place them, in a 640-wide viewBox that
scales to the page (WIDE), or a 320-wide one with the labels above each row for phones
(NARROW, shown under 768 px by results.css, so text stays at 12 px or more). Departments differ by marker shape (sales a filled circle, marketing an
open square; heads a diamond) as well as colour, so the charts read in black and white.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scoring.core.scores import BANDS, MAX_SCORE, MIN_SCORE
from scoring.core.stats import Interval

WIDTH = 640
LEFT = 150  # room for row labels
RIGHT = 600
ROW = 34
TOP = 30  # room for the band names above the rows
DOT = 7  # diameter of a strip-plot dot
MAX_STACK = 12  # a strip-plot column holds at most this many dots


@dataclass(frozen=True, kw_only=True)
class Layout:
    """Where a chart's axis runs and where its labels go.

    `stacked`: each row's label sits above its row, starting at `left` (phones); otherwise
    it ends at `label_x`, beside the row.
    """

    width: int
    left: float
    right: float
    row: float
    label_x: float
    stacked: bool
    top: float = TOP  # room above the rows for the band names (two staggered lines if stacked)

    @property
    def note_x(self) -> float:
        """Where a note in place of a row's markers starts ("not enough responses yet")."""
        return self.left + 5


WIDE = Layout(width=WIDTH, left=LEFT, right=RIGHT, row=ROW, label_x=142, stacked=False)
NARROW = Layout(width=320, left=16, right=300, row=58, label_x=16, stacked=True, top=46)


def x_of(value: float, low: float, high: float, layout: Layout = WIDE) -> float:
    """The x coordinate of `value` on an axis from `low` (left) to `high` (right)."""
    return round(layout.left + (value - low) / (high - low) * (layout.right - layout.left), 1)


@dataclass(frozen=True, kw_only=True)
class Point:
    x: float
    label: str  # the value as printed beside the marker
    shape: str  # "circle", "square", "diamond"
    series: str  # "sales", "marketing", "heads", "staff", "combined": the CSS class
    low: float | None = None  # whisker ends, when there is an interval
    high: float | None = None


@dataclass(frozen=True, kw_only=True)
class Row:
    y: float
    label: str
    points: tuple[Point, ...]
    sublabel: str = ""  # a second, smaller line under the label
    stacked: bool = False  # the label above the row, the values under the markers

    @property
    def cap_top(self) -> float:
        return self.y - 5

    @property
    def cap_bottom(self) -> float:
        return self.y + 5

    @property
    def label_y(self) -> float:
        """Baseline of the value printed by a marker: above it, or under it when stacked."""
        return self.y + 22 if self.stacked else self.y - 11

    @property
    def name_y(self) -> float:
        """Baseline of the row's label when stacked above the row."""
        return self.y - 16


@dataclass(frozen=True, kw_only=True)
class BandArea:
    key: str
    name: str
    x: float
    width: float
    label_x: float
    label_y: float


@dataclass(frozen=True, kw_only=True)
class Tick:
    x: float
    label: str


def score_point(
    value: float,
    interval: Interval | None,
    *,
    label: str,
    shape: str,
    series: str,
    layout: Layout = WIDE,
) -> Point:
    """A marker on the 20..100 scale, with its interval as a whisker when there is one."""
    return Point(
        x=x_of(value, MIN_SCORE, MAX_SCORE, layout),
        label=label,
        shape=shape,
        series=series,
        low=None if interval is None else x_of(interval.low, MIN_SCORE, MAX_SCORE, layout),
        high=None if interval is None else x_of(interval.high, MIN_SCORE, MAX_SCORE, layout),
    )


def rows(
    labelled: Sequence[tuple[str, str, Sequence[Point]]],
    *,
    top: float = TOP,
    layout: Layout = WIDE,
) -> list[Row]:
    """Rows one below the other, each in a band `layout.row` high: (label, sublabel, points).

    Beside its label the marker is centred in the band; under a stacked label it sits
    lower, leaving the label's line above it."""
    offset = layout.row * (0.55 if layout.stacked else 0.5)
    return [
        Row(
            y=top + layout.row * i + offset,
            label=label,
            sublabel=sublabel,
            points=tuple(points),
            stacked=layout.stacked,
        )
        for i, (label, sublabel, points) in enumerate(labelled)
    ]


def band_edges() -> list[tuple[str, int, int]]:
    """(type key, start, end) of each band on the 20..100 scale, as every chart shades them.

    A band runs from its lower edge to the next band's (40, 60, 80), matching how means are
    classified; the last ends at 100.
    """
    edges = [b.low for b in BANDS] + [MAX_SCORE]
    return [
        (b.type.value, start, end)
        for b, start, end in zip(BANDS, edges[:-1], edges[1:], strict=True)
    ]


def band_areas(names: dict[str, str], layout: Layout = WIDE) -> list[BandArea]:
    """The four bands as areas of the 20..100 axis; `names` maps band key to its name.

    Their names sit above the rows; on a phone every second one a line higher, so
    neighbouring names never overlap."""
    areas = []
    for index, (key, start, end) in enumerate(band_edges()):
        x0, x1 = (x_of(v, MIN_SCORE, MAX_SCORE, layout) for v in (start, end))
        raised = layout.stacked and index % 2 == 1
        areas.append(
            BandArea(
                key=key,
                name=names[key],
                x=x0,
                width=round(x1 - x0, 1),
                label_x=round((x0 + x1) / 2, 1),
                label_y=layout.top - (25 if raised else 10),
            )
        )
    return areas


def score_ticks(layout: Layout = WIDE) -> list[Tick]:
    return [
        Tick(x=x_of(v, MIN_SCORE, MAX_SCORE, layout), label=str(v)) for v in (20, 40, 60, 80, 100)
    ]


def rating_ticks(layout: Layout = WIDE) -> list[Tick]:
    return [Tick(x=x_of(v, 1, 5, layout), label=str(v)) for v in range(1, 6)]


@dataclass(frozen=True, kw_only=True)
class Dot:
    x: float
    y: float


def strip_dots(
    histogram: Sequence[tuple[int, int]], *, baseline: float, per_dot: int, layout: Layout = WIDE
) -> list[Dot]:
    """Dots stacked upwards from `baseline` at each score, one dot per `per_dot` people
    (rounded up, so a score somebody has never disappears)."""
    dots = []
    for score, count in histogram:
        x = x_of(score, MIN_SCORE, MAX_SCORE, layout)
        for level in range(math.ceil(count / per_dot)):
            dots.append(Dot(x=x, y=round(baseline - DOT / 2 - level * DOT, 1)))
    return dots


def people_per_dot(histograms: Sequence[Sequence[tuple[int, int]]]) -> int:
    """1 while every column fits MAX_STACK dots, else the smallest count that makes it fit,
    the same for every group so that the strips compare."""
    tallest = max((count for h in histograms for _, count in h), default=0)
    return max(1, math.ceil(tallest / MAX_STACK))


@dataclass(frozen=True, kw_only=True)
class TrendChart:
    """Geometry of a small SVG line chart on the 20..100 score scale."""

    width: int = 420
    height: int = 230
    left: int = 34
    right: int = 12
    top: int = 10
    bottom: int = 34

    def x(self, index: int, count: int) -> float:
        span = self.width - self.left - self.right
        if count == 1:
            return self.left + span / 2
        return round(self.left + span * index / (count - 1), 1)

    def y(self, score: float) -> float:
        span = self.height - self.top - self.bottom
        return round(self.top + span * (MAX_SCORE - score) / (MAX_SCORE - MIN_SCORE), 1)

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def label_y(self) -> int:
        """Baseline of the rounds' names under the plot."""
        return self.height - 12

    @property
    def tick_x(self) -> int:
        """Where the scale's numbers end, left of the plot."""
        return self.left - 6

    def y_ticks(self) -> list[tuple[float, int]]:
        return [(self.y(v), v) for v in (20, 40, 60, 80, 100)]

    def bands(self) -> list[tuple[str, float, float]]:
        """(type key, top y, height) of each type's band, to shade behind the lines."""
        return [(key, self.y(end), self.y(start) - self.y(end)) for key, start, end in band_edges()]

    def segments(self, values: list[float | None]) -> list[str]:
        """SVG polyline `points` strings, one per run of two or more consecutive known values.

        A lone value has no line to draw; its dot (see `dots`) shows it.
        """
        runs: list[list[str]] = [[]]
        for index, value in enumerate(values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append(f"{self.x(index, len(values))},{self.y(value)}")
        return [" ".join(run) for run in runs if len(run) > 1]

    def dots(self, values: list[float | None]) -> list[tuple[float, float, float]]:
        return [
            (self.x(i, len(values)), self.y(v), v) for i, v in enumerate(values) if v is not None
        ]
