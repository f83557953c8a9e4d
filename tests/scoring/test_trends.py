"""Trend arithmetic, the gap-change rule and the chart's geometry, without the database."""

import math

import pytest

from scoring.core.insights import StatementInsight
from scoring.core.stats import Summary
from scoring.core.trends import ABOUT_THE_SAME, CLOSED, WIDENED, gap_change, gap_changes
from scoring.pages.charts import TrendChart
from scoring.pages.presenters import one_decimal


def row(statement: int, sales: Summary, marketing: Summary) -> StatementInsight:
    return StatementInsight(statement=statement, sales=sales, marketing=marketing)


def change(before: StatementInsight, now: StatementInsight):
    return gap_change(before, now, shown=one_decimal)


def test_a_clear_change_with_ten_people_a_side_is_labelled():
    """Gap 4.0 - 2.0 = 2.0, then 3.0 - 3.0 = 0.0; every SD 0.5 and n 10: each variance
    0.25 / 10 = 0.025, se = sqrt(4 * 0.025) = 0.3162, Welch df = 0.1^2 / (4 * 0.025^2 / 9)
    = 36, t(36) = 2.028094 (SciPy), half = 0.6413: d = 0 - 2 = -2.0, interval -2.641 to
    -1.359, below 0: closed. The same rounds the other way round: widened."""
    wide = row(3, Summary(n=10, mean=4.0, sd=0.5), Summary(n=10, mean=2.0, sd=0.5))
    narrow = row(3, Summary(n=10, mean=3.0, sd=0.5), Summary(n=10, mean=3.0, sd=0.5))

    closed = change(wide, narrow)
    assert closed.direction == CLOSED
    assert (closed.statement, closed.previous_gap, closed.current_gap) == (3, 2.0, 0.0)
    assert closed.size_change.low == pytest.approx(-2 - 2.028094001 * math.sqrt(0.1))
    assert closed.size_change.high == pytest.approx(-2 + 2.028094001 * math.sqrt(0.1))
    assert change(narrow, wide).direction == WIDENED


def test_a_big_change_with_three_people_a_side_is_about_the_same():
    """The same 2-point closing with n 3 and SD 1 in every group: each variance 1/3,
    se = sqrt(4/3) = 1.1547, df = (4/3)^2 / (4 * (1/3)^2 / 2) = 8, t(8) = 2.306004,
    half = 2.6627: the interval -4.66 to +0.66 holds 0, so the noise could explain it."""
    before = row(7, Summary(n=3, mean=4.0, sd=1.0), Summary(n=3, mean=2.0, sd=1.0))
    now = row(7, Summary(n=3, mean=3.0, sd=1.0), Summary(n=3, mean=3.0, sd=1.0))

    result = change(before, now)
    assert result.direction == ABOUT_THE_SAME
    half = 2.306004135 * math.sqrt(4 / 3)
    assert result.size_change.low == pytest.approx(-2 - half)
    assert result.size_change.high == pytest.approx(-2 + half)
    assert result.size_change.low < 0 < result.size_change.high


def test_equal_gaps_as_shown_are_never_a_change_however_many_answered():
    """0.54 and 0.46 both show as 0.5: with 10,000 people a side and SD 0.1 the interval
    (-0.08 +- 1.96 * 0.002) leaves out 0, yet the label must not contradict the page."""
    many = 10_000
    before = row(2, Summary(n=many, mean=3.54, sd=0.1), Summary(n=many, mean=3.0, sd=0.1))
    now = row(2, Summary(n=many, mean=3.46, sd=0.1), Summary(n=many, mean=3.0, sd=0.1))
    result = change(before, now)
    assert result.size_change.high < 0
    assert (one_decimal(before.gap), one_decimal(now.gap)) == (0.5, 0.5)
    assert result.direction == ABOUT_THE_SAME
    # A gap that flips side at the same size shown, +0.5 to -0.5, is about the same too.
    flipped = row(2, Summary(n=many, mean=3.0, sd=0.1), Summary(n=many, mean=3.46, sd=0.1))
    assert change(before, flipped).size_change.high < 0
    assert one_decimal(flipped.gap) == -0.5
    assert change(before, flipped).direction == ABOUT_THE_SAME


def test_a_clear_flip_to_a_larger_gap_on_the_other_side_widens():
    # +0.5 to -1.5 with n 10, SD 0.5: d = 1.0 > half 0.6413.
    before = row(4, Summary(n=10, mean=3.5, sd=0.5), Summary(n=10, mean=3.0, sd=0.5))
    now = row(4, Summary(n=10, mean=2.0, sd=0.5), Summary(n=10, mean=3.5, sd=0.5))
    assert change(before, now).direction == WIDENED


def test_without_a_spread_in_a_department_nothing_is_called_a_change():
    before = row(5, Summary(n=1, mean=5.0, sd=None), Summary(n=10, mean=1.0, sd=0.5))
    now = row(5, Summary(n=10, mean=3.0, sd=0.5), Summary(n=10, mean=3.0, sd=0.5))
    result = change(before, now)
    assert (result.direction, result.size_change) == (ABOUT_THE_SAME, None)


def test_unanimous_groups_have_no_noise_so_any_change_shown_counts():
    before = row(5, Summary(n=4, mean=5.0, sd=0.0), Summary(n=3, mean=3.0, sd=0.0))
    now = row(5, Summary(n=4, mean=4.0, sd=0.0), Summary(n=3, mean=3.0, sd=0.0))
    assert change(before, now).direction == CLOSED


def test_only_statements_both_rounds_compare_are_listed_in_order():
    spread = Summary(n=10, mean=3.0, sd=0.5)
    before = [
        row(9, spread, spread),
        row(2, Summary(n=10, mean=4.0, sd=0.5), spread),
        row(5, spread, spread),
    ]
    now = [row(5, spread, spread), row(2, spread, spread), row(11, spread, spread)]
    changes = gap_changes(before, now, shown=one_decimal)
    assert [(c.statement, c.direction) for c in changes] == [(2, CLOSED), (5, ABOUT_THE_SAME)]
    assert gap_changes([], now, shown=one_decimal) == []
    with pytest.raises(ValueError):
        change(before[0], now[0])


def test_the_chart_maps_the_score_scale_and_breaks_lines_at_missing_rounds():
    chart = TrendChart(width=140, height=100, left=20, right=20, top=10, bottom=10)
    assert chart.y(100) == 10 and chart.y(20) == 90 and chart.y(60) == 50
    assert chart.segments([60.0, None, 20.0, 100.0]) == ["86.7,90.0 120.0,10.0"]
    assert chart.x(0, 1) == 70
