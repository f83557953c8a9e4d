"""A company's results over its rounds: levels, department scores, gaps, and their changes.

Every figure comes from `score_round`, so a round shows here exactly what its own
dashboard shows; anything core withholds stays None.
"""

from dataclasses import dataclass

from scoring.core import BANDS, MAX_SCORE, MIN_SCORE, RoundScore

# How much a statement gap must change, in rating points, to count as closed or widened:
# the dashboard shows one decimal, so a change it cannot display is "unchanged".
CHANGE_EPSILON = 0.05

CLOSED = "closed"
WIDENED = "widened"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class TrendPoint:
    label: str
    combined: float | None
    sales: float | None
    marketing: float | None
    gap: float | None


@dataclass(frozen=True)
class StatementChange:
    statement: int
    previous_gap: float
    current_gap: float

    @property
    def direction(self) -> str:
        """Closed when |gap| shrank, widened when it grew, by more than CHANGE_EPSILON."""
        change = abs(self.current_gap) - abs(self.previous_gap)
        if change <= -CHANGE_EPSILON:
            return CLOSED
        if change >= CHANGE_EPSILON:
            return WIDENED
        return UNCHANGED


def trend_point(label: str, result: RoundScore) -> TrendPoint:
    return TrendPoint(
        label=label,
        combined=result.combined_level,
        sales=result.sales.total.score,
        marketing=result.marketing.total.score,
        gap=result.gap,
    )


def statement_changes(previous: RoundScore, current: RoundScore) -> list[StatementChange]:
    """Per statement, the gap then and now: only statements both rounds show gaps for.

    A round shows statement gaps only when both of its departments are shown, so a round
    with a department below the threshold contributes nothing here. Ordered by statement.
    """
    before = {g.statement: g.gap for g in previous.statement_gaps}
    return sorted(
        (
            StatementChange(g.statement, before[g.statement], g.gap)
            for g in current.statement_gaps
            if g.statement in before
        ),
        key=lambda c: c.statement,
    )


@dataclass(frozen=True)
class Chart:
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

    def bands(self) -> list[tuple[str, float, float]]:
        """(type key, top y, height) of each type's band, to shade behind the lines."""
        return [
            (band.type.value, self.y(band.high + 1 if band.high < MAX_SCORE else MAX_SCORE),
             self.y(band.low) - self.y(band.high + 1 if band.high < MAX_SCORE else MAX_SCORE))
            for band in BANDS
        ]  # fmt: skip

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
