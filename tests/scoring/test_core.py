"""Pure tests of scoring.core.scores: hand-computed expectations, no database."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.core.scores import (
    BANDS,
    LEADER,
    MARKETING,
    SALES,
    STAFF,
    STATEMENT_COUNT,
    Cell,
    DepartmentResult,
    GroupResult,
    RelationshipType,
    StatementGap,
    combined_level,
    group_result,
    perception_gap,
    rank_by_gap,
    relationship_type,
    respondent_score,
    score_round,
)

U = RelationshipType.UNDEFINED
D = RelationshipType.DEFINED
A = RelationshipType.ALIGNED
INTEGRATED = RelationshipType.INTEGRATED
STATEMENTS = range(1, STATEMENT_COUNT + 1)


def ratings(rating: int, **overrides: int) -> list[int]:
    """20 ratings of `rating`, with e.g. s7=5 setting statement 7 to 5."""
    values = [rating] * STATEMENT_COUNT
    for key, value in overrides.items():
        values[int(key[1:]) - 1] = value
    return values


def cells(department: str, role: str, *respondents: list[int]) -> list[Cell]:
    """The SQL rows (GROUP BY statement) for these respondents' rating lists."""
    return [
        Cell(
            department=department,
            role=role,
            statement=s,
            respondents=len(respondents),
            rating_sum=sum(r[s - 1] for r in respondents),
        )
        for s in STATEMENTS
    ]


# --- bands and relationship types ---------------------------------------------------------


def test_bands_follow_the_integer_score_table_in_order() -> None:
    assert [(b.type, b.low, b.high) for b in BANDS] == [
        (U, 20, 39),
        (D, 40, 59),
        (A, 60, 79),
        (INTEGRATED, 80, 100),
    ]


def test_relationship_type_values_are_the_lowercase_names() -> None:
    assert [t.value for t in RelationshipType] == ["undefined", "defined", "aligned", "integrated"]


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (20, U),
        (39, U),
        (39.5, U),  # a mean only reaches Defined at 40
        (39.999, U),
        (40, D),
        (59, D),
        (59.99, D),
        (60, A),
        (79, A),
        (79.999, A),
        (80, INTEGRATED),
        (99.5, INTEGRATED),
        (100, INTEGRATED),
    ],
)
def test_a_score_or_mean_is_classified_by_the_band_lower_edges(
    score: float, expected: RelationshipType
) -> None:
    assert relationship_type(score) is expected


def test_a_mean_of_39_point_5_is_undefined() -> None:
    assert relationship_type(39.5) is U


def test_a_mean_of_59_point_99_is_defined() -> None:
    assert relationship_type(59.99) is D


@pytest.mark.parametrize("score", [0, 19, 19.99, 100.01, 101, -40, math.nan, math.inf])
def test_a_score_outside_20_to_100_raises(score: float) -> None:
    with pytest.raises(ValueError):
        relationship_type(score)


# --- respondent_score ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_ratings", "expected"),
    [
        (ratings(1), 20),
        (ratings(5), 100),
        (ratings(3), 60),
        (ratings(2, s1=1), 39),  # 19 * 2 + 1
        (ratings(4, s3=5, s20=1), 78),  # 18 * 4 + 5 + 1
        ([1, 2, 3, 4, 5] * 4, 60),  # (1 + 2 + 3 + 4 + 5) * 4
    ],
)
def test_a_respondent_score_is_the_sum_of_the_20_ratings(
    given_ratings: list[int], expected: int
) -> None:
    assert respondent_score(given_ratings) == expected


@pytest.mark.parametrize(
    "bad",
    [
        [],
        [3] * 19,
        [3] * 21,
        ratings(3, s5=0),
        ratings(3, s5=6),
        ratings(3, s5=-1),
        [3.0] * 20,
        [True] * 20,
        "3" * 20,
    ],
    ids=["empty", "19", "21", "zero", "six", "negative", "floats", "bools", "string"],
)
def test_a_bad_rating_list_raises(bad: list[int]) -> None:
    with pytest.raises(ValueError):
        respondent_score(bad)


# --- cells --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "respondents", "rating_sum"),
    [
        (0, 1, 3),
        (21, 1, 3),
        (1, 0, 0),
        (1, -1, 3),
        (1, 2, 1),  # two respondents rate at least 1 each
        (1, 2, 11),  # and at most 5 each
    ],
)
def test_an_impossible_cell_raises(statement: int, respondents: int, rating_sum: int) -> None:
    with pytest.raises(ValueError):
        Cell(
            department=SALES,
            role=STAFF,
            statement=statement,
            respondents=respondents,
            rating_sum=rating_sum,
        )


# --- group_result -------------------------------------------------------------------------


def test_two_respondents_of_different_scores_give_a_fractional_mean() -> None:
    # Respondent one rates 1..10 at 4 and 11..20 at 3: 40 + 30 = 70.
    # Respondent two rates 1..15 at 4 and 16..20 at 3: 60 + 15 = 75.
    # Statements 1..10: sum 4 + 4 = 8; 11..15: 3 + 4 = 7; 16..20: 3 + 3 = 6.
    # Group score = 10 * 8/2 + 5 * 7/2 + 5 * 6/2 = 40 + 17.5 + 15 = 72.5 = (70 + 75) / 2.
    group = (
        [
            Cell(department=SALES, role=STAFF, statement=s, respondents=2, rating_sum=8)
            for s in range(1, 11)
        ]
        + [
            Cell(department=SALES, role=STAFF, statement=s, respondents=2, rating_sum=7)
            for s in range(11, 16)
        ]
        + [
            Cell(department=SALES, role=STAFF, statement=s, respondents=2, rating_sum=6)
            for s in range(16, 21)
        ]
    )

    result = group_result(group, shown=True)

    assert result.respondents == 2
    assert result.shown
    assert result.score == pytest.approx(72.5)
    assert result.type is A
    assert dict(result.statement_means) == pytest.approx(
        {**dict.fromkeys(range(1, 11), 4.0), **dict.fromkeys(range(11, 16), 3.5)}
        | dict.fromkeys(range(16, 21), 3.0)
    )


def test_a_group_of_several_roles_adds_respondents_and_sums_per_statement() -> None:
    # One leader at 80 (all 4) and three staff at 60 (all 3): each statement has
    # 4 respondents and a sum of 4 + 9 = 13, so a mean of 3.25; score (80 + 180) / 4 = 65.
    result = group_result(
        cells(SALES, LEADER, ratings(4)) + cells(SALES, STAFF, *[ratings(3)] * 3), shown=True
    )

    assert result.respondents == 4
    assert result.score == pytest.approx(65)
    assert dict(result.statement_means) == pytest.approx(dict.fromkeys(STATEMENTS, 3.25))


def test_a_group_whose_true_mean_is_60_is_aligned_despite_float_noise() -> None:
    # Three respondents; statement sums total 180, so the mean respondent score is exactly 60.
    # Adding the 20 floats sum/3 one by one gives 59.99999999999999, which would be Defined.
    sums = [7, 8, 8, 7, 8, 14, 14, 11, 11, 3, 11, 4, 5, 8, 14, 8, 15, 8, 12, 4]
    assert sum(sums) == 180
    result = group_result(
        [
            Cell(department=SALES, role=STAFF, statement=s, respondents=3, rating_sum=t)
            for s, t in enumerate(sums, 1)
        ],
        shown=True,
    )

    assert result.score == 60
    assert result.type is A


def test_a_group_without_cells_is_not_shown_even_when_asked() -> None:
    result = group_result([], shown=True)

    assert result == GroupResult(respondents=0, shown=False, score=None, statement_means={})
    assert result.type is None


def test_a_hidden_group_keeps_its_count_but_not_its_score_or_means() -> None:
    result = group_result(cells(SALES, STAFF, ratings(3), ratings(4)), shown=False)

    assert result.respondents == 2
    assert not result.shown
    assert result.score is None
    assert dict(result.statement_means) == {}
    assert result.type is None


@given(st.lists(st.lists(st.integers(1, 5), min_size=20, max_size=20), min_size=1, max_size=12))
def test_a_group_score_is_the_mean_respondent_score(respondents: list[list[int]]) -> None:
    result = group_result(cells(MARKETING, STAFF, *respondents), shown=True)

    expected = sum(respondent_score(r) for r in respondents) / len(respondents)
    assert result.score == pytest.approx(expected)
    assert result.type is relationship_type(expected)


# --- combined level, perception gap, leaders minus staff ----------------------------------


@pytest.mark.parametrize(
    ("sales", "marketing", "expected"),
    [
        (70, 50, 60),  # 9 sales at 70 and 1 marketer at 50: 60, not (630 + 50) / 10 = 68
        (50, 70, 60),
        (72.5, 61, 66.75),
        (None, 50, None),
        (70, None, None),
        (None, None, None),
    ],
)
def test_the_combined_level_is_the_mean_of_the_two_departments(
    sales: float | None, marketing: float | None, expected: float | None
) -> None:
    assert combined_level(sales, marketing) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("sales", "marketing", "expected"),
    [
        (70, 50, 20),  # sales rates the relationship higher
        (50, 70, -20),  # marketing rates it higher
        (62.5, 62.5, 0),
        (61.25, 59, 2.25),
        (None, 50, None),
        (70, None, None),
        (None, None, None),
    ],
)
def test_the_perception_gap_is_sales_minus_marketing(
    sales: float | None, marketing: float | None, expected: float | None
) -> None:
    assert perception_gap(sales, marketing) == pytest.approx(expected)


def shown(score: float) -> GroupResult:
    return GroupResult(respondents=3, shown=True, score=score, statement_means={})


HIDDEN = GroupResult(respondents=2, shown=False, score=None, statement_means={})


@pytest.mark.parametrize(
    ("leaders", "staff", "expected"),
    [
        (shown(80), shown(60), 20),
        (shown(55), shown(62.5), -7.5),
        (shown(80), HIDDEN, None),
        (HIDDEN, shown(60), None),
    ],
)
def test_leaders_minus_staff_needs_both_views(
    leaders: GroupResult, staff: GroupResult, expected: float | None
) -> None:
    result = DepartmentResult(total=HIDDEN, leaders=leaders, staff=staff)

    assert result.leaders_minus_staff == pytest.approx(expected)


# --- statement gaps -----------------------------------------------------------------------


def test_a_statement_gap_is_sales_mean_minus_marketing_mean() -> None:
    assert StatementGap(statement=4, sales_mean=2.5, marketing_mean=4.0).gap == pytest.approx(-1.5)
    assert StatementGap(statement=4, sales_mean=4.0, marketing_mean=2.5).gap == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("gaps", "expected_order"),
    [
        (
            # gaps: 1 -> +0.5, 2 -> -1.5, 3 -> +1.5, 4 -> 0: 2 and 3 tie on 1.5, 2 comes first
            [
                StatementGap(statement=1, sales_mean=3.5, marketing_mean=3.0),
                StatementGap(statement=3, sales_mean=4.5, marketing_mean=3.0),
                StatementGap(statement=4, sales_mean=2, marketing_mean=2),
                StatementGap(statement=2, sales_mean=2.0, marketing_mean=3.5),
            ],
            [2, 3, 1, 4],
        ),
        (
            # -1 beats +0.75 on absolute size
            [
                StatementGap(statement=5, sales_mean=3.75, marketing_mean=3.0),
                StatementGap(statement=9, sales_mean=2.0, marketing_mean=3.0),
            ],
            [9, 5],
        ),
        (
            # Both gaps are exactly -1/7 (4 - 29/7 and 1 - 8/7), but as floats the first is
            # 0.14285714285714324 and the second 0.1428571428571428: still a tie.
            [
                StatementGap(statement=2, sales_mean=12 / 3, marketing_mean=29 / 7),
                StatementGap(statement=1, sales_mean=3 / 3, marketing_mean=8 / 7),
            ],
            [1, 2],
        ),
        ([], []),
    ],
    ids=["tie-by-number", "absolute", "float-noise-tie", "empty"],
)
def test_statements_rank_by_absolute_gap_then_number(
    gaps: list[StatementGap], expected_order: list[int]
) -> None:
    assert [g.statement for g in rank_by_gap(gaps)] == expected_order


# --- score_round --------------------------------------------------------------------------


def full_round() -> list[Cell]:
    """Sales: a head at 80 (all 4), three staff at 60 (all 3).
    Marketing: a head at 62 (all 3, statement 7 at 5), three staff at 58 (all 3, statement 7
    at 1)."""
    return (
        cells(SALES, LEADER, ratings(4))
        + cells(SALES, STAFF, *[ratings(3)] * 3)
        + cells(MARKETING, LEADER, ratings(3, s7=5))
        + cells(MARKETING, STAFF, *[ratings(3, s7=1)] * 3)
    )


def test_a_full_round_scores_departments_roles_level_and_gaps() -> None:
    result = score_round(full_round(), threshold=3)

    # Sales total (80 + 3 * 60) / 4 = 65; marketing (62 + 3 * 58) / 4 = 236 / 4 = 59.
    assert result.threshold == 3
    assert result.sales.total.score == pytest.approx(65)
    assert result.sales.total.respondents == 4
    assert result.marketing.total.score == pytest.approx(59)
    assert result.marketing.total.type is D
    assert (result.sales.leaders.score, result.sales.staff.score) == pytest.approx((80, 60))
    assert result.sales.leaders_minus_staff == pytest.approx(20)
    assert result.marketing.leaders_minus_staff == pytest.approx(4)  # 62 - 58
    assert result.combined_level == pytest.approx(62)  # (65 + 59) / 2
    assert result.combined_type is A
    assert result.gap == pytest.approx(6)  # 65 - 59


def test_a_full_round_lists_the_largest_statement_gap_first() -> None:
    result = score_round(full_round(), threshold=3)

    # Sales means are (4 + 9) / 4 = 3.25 everywhere. Marketing means are 3, except statement
    # 7: (5 + 3 * 1) / 4 = 2. Gaps: 1.25 on statement 7, 0.25 elsewhere, tied by number.
    assert [g.statement for g in result.statement_gaps] == [7, *(s for s in STATEMENTS if s != 7)]
    first = result.statement_gaps[0]
    assert (first.sales_mean, first.marketing_mean, first.gap) == pytest.approx((3.25, 2, 1.25))
    assert [g.gap for g in result.statement_gaps[1:]] == pytest.approx([0.25] * 19)


def test_the_combined_level_of_a_round_is_department_balanced() -> None:
    # 9 sales staff at 70 and 3 marketing staff at 50: (70 + 50) / 2 = 60, where the
    # respondent-weighted mean would be (9 * 70 + 3 * 50) / 12 = 65.
    seventy = [4] * 10 + [3] * 10
    fifty = [2] * 10 + [3] * 10
    assert (respondent_score(seventy), respondent_score(fifty)) == (70, 50)

    result = score_round(
        cells(SALES, STAFF, *[seventy] * 9) + cells(MARKETING, STAFF, *[fifty] * 3), threshold=3
    )

    assert result.combined_level == pytest.approx(60)
    assert result.gap == pytest.approx(20)


def test_a_department_with_no_answers_hides_level_gap_and_statement_gaps() -> None:
    result = score_round(cells(SALES, STAFF, *[ratings(3)] * 4), threshold=3)

    assert result.sales.total.score == pytest.approx(60)
    assert result.marketing.total == GroupResult(
        respondents=0, shown=False, score=None, statement_means={}
    )
    assert not result.marketing.leaders.shown
    assert not result.marketing.staff.shown
    assert result.combined_level is None
    assert result.combined_type is None
    assert result.gap is None
    assert result.statement_gaps == ()


def test_an_empty_round_shows_nothing() -> None:
    result = score_round([], threshold=5)

    for department in (result.sales, result.marketing):
        for group in (department.total, department.leaders, department.staff):
            assert group == GroupResult(respondents=0, shown=False, score=None, statement_means={})
        assert department.leaders_minus_staff is None
    assert (result.combined_level, result.gap, result.statement_gaps) == (None, None, ())
    assert result.threshold == 5


def test_a_staff_group_below_the_threshold_hides_staff_and_total_but_shows_the_heads() -> None:
    # Marketing has a head and 2 staff, k = 3: total minus the heads' view would reveal the
    # two staff, so only the heads' view is shown.
    round_cells = (
        cells(SALES, STAFF, *[ratings(3)] * 3)
        + cells(MARKETING, LEADER, ratings(4))
        + cells(MARKETING, STAFF, ratings(2), ratings(3))
    )

    marketing = score_round(round_cells, threshold=3).marketing

    assert marketing.leaders.shown
    assert marketing.leaders.score == pytest.approx(80)
    assert marketing.leaders.type is INTEGRATED
    assert (marketing.staff.respondents, marketing.staff.shown) == (2, False)
    assert (marketing.staff.score, dict(marketing.staff.statement_means)) == (None, {})
    assert (marketing.total.respondents, marketing.total.shown) == (3, False)
    assert marketing.total.score is None
    assert marketing.leaders_minus_staff is None


def test_a_hidden_department_total_hides_level_gap_and_statement_gaps() -> None:
    round_cells = (
        cells(SALES, LEADER, ratings(4))
        + cells(SALES, STAFF, *[ratings(3)] * 3)
        + cells(MARKETING, LEADER, ratings(4))
        + cells(MARKETING, STAFF, *[ratings(3)] * 3)
    )

    result = score_round(round_cells, threshold=4)

    assert result.sales.leaders.shown and result.marketing.leaders.shown
    assert not result.sales.total.shown and not result.marketing.total.shown
    assert (result.combined_level, result.gap, result.statement_gaps) == (None, None, ())


@pytest.mark.parametrize(
    ("staff_count", "threshold", "staff_shown"),
    [(2, 3, False), (3, 3, True), (4, 5, False), (5, 5, True), (6, 5, True)],
)
def test_a_staff_group_is_shown_from_the_threshold_on(
    staff_count: int, threshold: int, staff_shown: bool
) -> None:
    result = score_round(cells(SALES, STAFF, *[ratings(3)] * staff_count), threshold=threshold)

    assert result.sales.staff.shown is staff_shown
    assert result.sales.total.shown is staff_shown


@pytest.mark.parametrize("threshold", [-1, 0, 1, 2])
def test_a_threshold_below_3_raises(threshold: int) -> None:
    with pytest.raises(ValueError):
        score_round([], threshold=threshold)


@pytest.mark.parametrize(
    ("department", "role"),
    [("finance", STAFF), (SALES, "intern"), ("Sales", STAFF), (MARKETING, "")],
)
def test_a_cell_of_an_unknown_department_or_role_raises(department: str, role: str) -> None:
    with pytest.raises(ValueError):
        score_round(
            [Cell(department=department, role=role, statement=1, respondents=3, rating_sum=9)],
            threshold=3,
        )


def test_a_round_gives_each_department_by_name() -> None:
    result = score_round(full_round(), threshold=3)

    assert result.department(SALES) is result.sales
    assert result.department(MARKETING) is result.marketing
    with pytest.raises(ValueError):
        result.department("finance")
