"""What the dashboard says beyond the scores: spreads, intervals and the flags to talk about.

Pure: it takes the same SQL aggregates as score_round (cells with sums of squares, and the
score histogram) and keeps the anonymity rules of core.visible_groups, so nothing here is
computed for a group that may not be shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from scoring.core.rounding import compared
from scoring.core.scores import (
    DEPARTMENTS,
    MARKETING,
    ROLES,
    SALES,
    TOTAL,
    Cell,
    GroupKey,
    RoundScore,
    ScoreCount,
    departments_comparable,
    rank_by_gap,
    visible_groups,
)
from scoring.core.stats import (
    Interval,
    Summary,
    balanced_mean_interval,
    difference_interval,
    mean_interval,
    summarise,
    summarise_counts,
)

# A statement gap over one point on the 1..5 scale: a third of the usable range of 1 to 4
# points between the ends, the line 360-degree feedback tools draw between self and others.
GAP_FLAG = 1.0
# A department disagrees within itself when the SD of its ratings of a statement reaches
# 1.2: ratings spread evenly over all five points have an SD of about 1.4, so 1.2 means the
# department is nearly as split as it could be by chance, e.g. half at 2 and half at 4.
SPREAD_FLAG = 1.2
# Statements about facts rather than perceptions: the forecast (1) and the reporting line
# (17). Disagreement there is something to check together, not a culture problem.
FACT_STATEMENTS = frozenset({1, 17})


@dataclass(frozen=True, kw_only=True)
class GroupInsight:
    """A visible group's score summary, 95% interval and histogram of scores."""

    summary: Summary
    interval: Interval | None
    histogram: tuple[tuple[int, int], ...]  # (score, respondents), by score


@dataclass(frozen=True, kw_only=True)
class StatementInsight:
    """One statement in the two departments (leaders and staff together)."""

    statement: int
    sales: Summary
    marketing: Summary

    @property
    def gap(self) -> float:
        """sales mean - marketing mean, in points on the 1..5 scale."""
        return self.sales.mean - self.marketing.mean

    def department(self, name: str) -> Summary:
        return self.sales if name == SALES else self.marketing

    @property
    def large_gap(self) -> bool:
        return compared(abs(self.gap)) > GAP_FLAG

    @property
    def split_departments(self) -> tuple[str, ...]:
        """The departments whose ratings of this statement spread by SPREAD_FLAG or more."""
        pairs = ((SALES, self.sales), (MARKETING, self.marketing))
        return tuple(d for d, s in pairs if s.sd is not None and compared(s.sd) >= SPREAD_FLAG)

    @property
    def check_facts(self) -> bool:
        """A fact the sides disagree on: compare the records together."""
        return self.statement in FACT_STATEMENTS and (
            self.large_gap or bool(self.split_departments)
        )


@dataclass(frozen=True, kw_only=True)
class Insights:
    threshold: int
    groups: Mapping[GroupKey, GroupInsight]  # only the visible groups
    gap_interval: Interval | None
    combined_interval: Interval | None
    statements: tuple[StatementInsight, ...]  # largest absolute gap first


def round_insights(cells: Iterable[Cell], scores: Iterable[ScoreCount], threshold: int) -> Insights:
    """Summaries and intervals of every visible group, and the statements compared.

    Group score: n, mean, SD from the histogram, 95% t-interval (stats.mean_interval). Gap:
    Welch's 95% interval for sales total - marketing total; combined level: the interval of
    the mean of the two. Statements: each department's n, mean and SD of ratings from the
    cells' sums and sums of squares; only when both departments are visible.
    """
    histograms = _histograms(scores)
    counted = {key: sum(c for _, c in bars) for key, bars in histograms.items()}
    visible = visible_groups(counted, threshold)
    groups = {key: _group(bars) for key, bars in histograms.items() if key in visible and bars}
    gap = combined = None
    statements: tuple[StatementInsight, ...] = ()
    if departments_comparable(visible):
        sales, marketing = groups[SALES, TOTAL].summary, groups[MARKETING, TOTAL].summary
        gap = difference_interval(sales, marketing)
        combined = balanced_mean_interval(sales, marketing)
        statements = _statements(cells)
    return Insights(
        threshold=threshold,
        groups=MappingProxyType(groups),
        gap_interval=gap,
        combined_interval=combined,
        statements=statements,
    )


def compared_statements(cells: Iterable[Cell], result: RoundScore) -> tuple[StatementInsight, ...]:
    """The statements of round_insights from the cells alone, for pages without the score
    histogram (the trends): empty unless `result`, these cells scored by core.score_round,
    shows both department totals, the same rule as round_insights."""
    return _statements(cells) if result.combined_level is not None else ()


def _histograms(scores: Iterable[ScoreCount]) -> dict[GroupKey, tuple[tuple[int, int], ...]]:
    bars: dict[GroupKey, dict[int, int]] = {
        (d, r): {} for d in DEPARTMENTS for r in (*ROLES, TOTAL)
    }
    for row in scores:
        for key in ((row.department, row.role), (row.department, TOTAL)):
            if key not in bars:
                raise ValueError(f"unknown department/role {row.department!r}/{row.role!r}")
            bars[key][row.score] = bars[key].get(row.score, 0) + row.respondents
    return {key: tuple(sorted(counts.items())) for key, counts in bars.items()}


def _group(bars: tuple[tuple[int, int], ...]) -> GroupInsight:
    summary = summarise_counts(bars)
    assert summary is not None  # only called with bars
    return GroupInsight(summary=summary, interval=mean_interval(summary), histogram=bars)


def _statements(cells: Iterable[Cell]) -> tuple[StatementInsight, ...]:
    sums: dict[tuple[str, int], tuple[int, int, int]] = {}
    for cell in cells:
        if cell.rating_squares is None:
            raise ValueError("statement spreads need the cells' sums of squares")
        n, total, squares = sums.get((cell.department, cell.statement), (0, 0, 0))
        sums[cell.department, cell.statement] = (
            n + cell.respondents,
            total + cell.rating_sum,
            squares + cell.rating_squares,
        )
    rows = [
        StatementInsight(
            statement=s, sales=summarise(*sums[SALES, s]), marketing=summarise(*sums[MARKETING, s])
        )
        for s in sorted({s for _, s in sums})
        if (SALES, s) in sums and (MARKETING, s) in sums
    ]
    return rank_by_gap(rows)
