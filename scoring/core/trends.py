"""A company's results over its rounds: levels, department scores, gaps, and their changes.

Every figure comes from `score_round`, so a round shows here exactly what its own
dashboard shows; anything core withholds stays None. Whether a statement's gap closed or
widened comes from its spreads (insights.StatementInsight), so noise is not called change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from scoring.core.insights import StatementInsight
from scoring.core.scores import RoundScore
from scoring.core.stats import Interval, t_quantile_975, welch_combination

CLOSED = "closed"
WIDENED = "widened"
ABOUT_THE_SAME = "same"


@dataclass(frozen=True, kw_only=True)
class TrendPoint:
    label: str
    combined: float | None
    sales: float | None
    marketing: float | None
    gap: float | None


@dataclass(frozen=True, kw_only=True)
class StatementChange:
    """One statement's gap (sales mean - marketing mean, 1..5 scale) in two rounds.

    `size_change` is the 95% Welch interval of |current gap| - |previous gap|, None when a
    department has a single rating of it in either round; `direction` is CLOSED, WIDENED or
    ABOUT_THE_SAME (see gap_change).
    """

    statement: int
    previous_gap: float
    current_gap: float
    size_change: Interval | None
    direction: str


def trend_point(label: str, result: RoundScore) -> TrendPoint:
    return TrendPoint(
        label=label,
        combined=result.combined_level,
        sales=result.sales.total.score,
        marketing=result.marketing.total.score,
        gap=result.gap,
    )


def gap_change(
    previous: StatementInsight, current: StatementInsight, *, shown: Callable[[float], float]
) -> StatementChange:
    """Closed or widened only when the change is larger than the noise of the two rounds.

    The change is d = |current gap| - |previous gap|. Its noise: the four independent means
    (sales and marketing, then and now) give se = sqrt(sum of sd**2 / n) and Welch-
    Satterthwaite df (stats.welch_combination), and the 95% interval d +- t(0.975, df) * se.
    CLOSED when that interval lies below 0 and the gap's size as shown (`shown`, the page's
    rounding) is smaller now; WIDENED when it lies above 0 and the size shown is larger;
    otherwise ABOUT_THE_SAME, so two equal sizes shown are never called a change.

    Since ||a| - |b|| <= |a - b|, an interval of d that excludes 0 means the interval of
    the difference of the two gaps, with the same half-width, excludes 0 too. When every
    group rated the statement unanimously, se is 0 and any change shown counts.
    """
    if previous.statement != current.statement:
        raise ValueError(f"statement {previous.statement} compared with {current.statement}")
    change = abs(current.gap) - abs(previous.gap)
    parts = welch_combination(
        (previous.sales, previous.marketing, current.sales, current.marketing)
    )
    interval = None
    direction = ABOUT_THE_SAME
    if parts is not None:
        se, df = parts
        half = t_quantile_975(df) * se
        interval = Interval(low=change - half, high=change + half)
        before, now = abs(shown(previous.gap)), abs(shown(current.gap))
        if interval.high < 0 and now < before:
            direction = CLOSED
        elif interval.low > 0 and now > before:
            direction = WIDENED
    return StatementChange(
        statement=current.statement,
        previous_gap=previous.gap,
        current_gap=current.gap,
        size_change=interval,
        direction=direction,
    )


def gap_changes(
    previous: Iterable[StatementInsight],
    current: Iterable[StatementInsight],
    *,
    shown: Callable[[float], float],
) -> list[StatementChange]:
    """gap_change for every statement both rounds compare, ordered by statement.

    A round compares statements only when both of its departments are shown
    (insights.round_insights), so a round with a department below the threshold
    contributes nothing here.
    """
    before = {row.statement: row for row in previous}
    return sorted(
        (
            gap_change(before[row.statement], row, shown=shown)
            for row in current
            if row.statement in before
        ),
        key=lambda c: c.statement,
    )
