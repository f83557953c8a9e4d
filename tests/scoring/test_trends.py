"""Trend arithmetic and the chart's geometry, without the database."""

from types import MappingProxyType

from scoring.core import DepartmentResult, GroupResult, RoundScore, StatementGap
from scoring.trends import CLOSED, UNCHANGED, WIDENED, Chart, StatementChange, statement_changes

HIDDEN = GroupResult(0, False, None, MappingProxyType({}))
NOBODY = DepartmentResult(HIDDEN, HIDDEN, HIDDEN)


def with_gaps(*gaps: StatementGap) -> RoundScore:
    return RoundScore(5, NOBODY, NOBODY, None, None, gaps)


def test_a_gap_closes_when_its_size_shrinks_and_widens_when_it_grows():
    assert StatementChange(1, 1.0, 0.4).direction == CLOSED
    assert StatementChange(1, 1.0, -0.4).direction == CLOSED  # flipped but smaller
    assert StatementChange(1, 0.2, -0.9).direction == WIDENED
    assert StatementChange(1, 0.5, 0.52).direction == UNCHANGED


def test_only_statements_both_rounds_show_are_compared():
    before = with_gaps(StatementGap(2, 4.0, 3.0), StatementGap(5, 3.0, 3.0))
    after = with_gaps(StatementGap(5, 4.0, 2.0), StatementGap(9, 1.0, 3.0))
    assert statement_changes(before, after) == [StatementChange(5, 0.0, 2.0)]
    assert statement_changes(with_gaps(), after) == []


def test_the_chart_maps_the_score_scale_and_breaks_lines_at_missing_rounds():
    chart = Chart(width=140, height=100, left=20, right=20, top=10, bottom=10)
    assert chart.y(100) == 10 and chart.y(20) == 90 and chart.y(60) == 50
    assert chart.segments([60.0, None, 20.0, 100.0]) == ["86.7,90.0 120.0,10.0"]
    assert chart.x(0, 1) == 70
