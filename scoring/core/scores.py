"""Pure scoring of the sales/marketing alignment assessment.

No Django here: `scoring/results/published.py` aggregates a round's answers in SQL when it closes
and turns its stored figures into `Cell` rows; this module turns those rows into scores, relationship types, gaps and the
anonymity decisions. Everything is a frozen dataclass or a pure function.

Values are never rounded here (presentation rounds). Group scores are summed as exact
fractions and converted to float once, so a group whose true mean is 60 gets 60.0 and is
classified Aligned, not 59.99999999999999 and Defined.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Protocol, TypeVar

from scoring.core.rounding import compared, rounded

SALES = "sales"
MARKETING = "marketing"
DEPARTMENTS = (SALES, MARKETING)

LEADER = "leader"
STAFF = "staff"
ROLES = (LEADER, STAFF)
TOTAL = "total"  # a whole department, leaders and staff together, in a group key

STATEMENT_COUNT = 20
MIN_RATING = 1
MAX_RATING = 5
MIN_SCORE = STATEMENT_COUNT * MIN_RATING  # 20
MAX_SCORE = STATEMENT_COUNT * MAX_RATING  # 100

# The smallest anonymity threshold a round may use.
MIN_THRESHOLD = 3


class RelationshipType(enum.Enum):
    """The source's four types of sales/marketing relationship, loosest first."""

    UNDEFINED = "undefined"
    DEFINED = "defined"
    ALIGNED = "aligned"
    INTEGRATED = "integrated"


@dataclass(frozen=True, kw_only=True)
class Band:
    """One band of the integer score table: `low` and `high` are both inclusive."""

    type: RelationshipType
    low: int
    high: int


BANDS: tuple[Band, ...] = (
    Band(type=RelationshipType.UNDEFINED, low=20, high=39),
    Band(type=RelationshipType.DEFINED, low=40, high=59),
    Band(type=RelationshipType.ALIGNED, low=60, high=79),
    Band(type=RelationshipType.INTEGRATED, low=80, high=100),
)


def respondent_score(ratings: Sequence[int]) -> int:
    """A respondent's score: the sum of their 20 ratings, so 20..100.

    ValueError unless there are exactly 20 ratings and each is an integer 1..5.
    """
    if len(ratings) != STATEMENT_COUNT:
        raise ValueError(f"expected {STATEMENT_COUNT} ratings, got {len(ratings)}")
    for rating in ratings:
        if not _is_int(rating) or not MIN_RATING <= rating <= MAX_RATING:
            raise ValueError(f"rating {rating!r} is not an integer {MIN_RATING}..{MAX_RATING}")
    return sum(ratings)


def relationship_type(score: float) -> RelationshipType:
    """Classify a score, possibly a fractional mean, with the integer table's lower edges.

    score < 40: Undefined; 40 <= score < 60: Defined; 60 <= score < 80: Aligned;
    score >= 80: Integrated. So 39.5 is Undefined and 59.99 Defined: a group only reaches
    a type once its mean reaches the band's lowest integer score.
    ValueError when the score is outside 20..100 (or NaN).
    """
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"score {score!r} is outside {MIN_SCORE}..{MAX_SCORE}")
    for band in reversed(BANDS):
        if score >= band.low:
            return band.type
    raise AssertionError("unreachable: the bands cover 20..100")  # pragma: no cover


@dataclass(frozen=True, kw_only=True)
class Cell:
    """One row from SQL: GROUP BY department, role, statement.

    `respondents` is how many respondents of the group rated the statement, `rating_sum`
    is SUM(rating) and `rating_squares`, when known, SUM(rating * rating) (for spreads).
    ValueError on a statement outside 1..20, fewer than one respondent, or sums no set of
    1..5 ratings can give.
    """

    department: str
    role: str
    statement: int
    respondents: int
    rating_sum: int
    rating_squares: int | None = None

    def __post_init__(self) -> None:
        if not _is_int(self.statement) or not 1 <= self.statement <= STATEMENT_COUNT:
            raise ValueError(f"statement {self.statement!r} is outside 1..{STATEMENT_COUNT}")
        if not _is_int(self.respondents) or self.respondents < 1:
            raise ValueError(f"a cell needs at least one respondent, got {self.respondents!r}")
        low, high = MIN_RATING * self.respondents, MAX_RATING * self.respondents
        if not _is_int(self.rating_sum) or not low <= self.rating_sum <= high:
            raise ValueError(
                f"rating sum {self.rating_sum!r} is impossible for "
                f"{self.respondents} respondents ({low}..{high})"
            )
        if self.rating_squares is not None:
            _check_squares(self.rating_squares, self.rating_sum, self.respondents, MAX_RATING)


@dataclass(frozen=True, kw_only=True)
class ScoreCount:
    """One row of the score histogram from SQL: GROUP BY department, role, score.

    `respondents` of the group have this `score` (20..100). At most 2 x 2 x 81 rows, so
    spreads and strip plots never need a row per respondent.
    """

    department: str
    role: str
    score: int
    respondents: int

    def __post_init__(self) -> None:
        if not _is_int(self.score) or not MIN_SCORE <= self.score <= MAX_SCORE:
            raise ValueError(f"score {self.score!r} is outside {MIN_SCORE}..{MAX_SCORE}")
        if not _is_int(self.respondents) or self.respondents < 1:
            raise ValueError(f"a histogram bar needs a respondent, got {self.respondents!r}")


def _check_squares(squares: int, total: int, count: int, top: int) -> None:
    """ValueError unless `squares` can be the sum of squares of `count` values 1..top
    summing to `total`: count * squares >= total**2 (Cauchy-Schwarz) and squares <= the
    most spread-out case, which is bounded by (1 + top) * total - top * count."""
    if not _is_int(squares) or not (
        count * squares >= total * total and squares <= (1 + top) * total - top * count
    ):
        raise ValueError(f"sum of squares {squares!r} is impossible for sum {total}")


@dataclass(frozen=True, kw_only=True)
class GroupResult:
    """The result of one group of respondents (a role, or a whole department).

    `respondents` is always the real count; `score` and `statement_means` are withheld
    (None and empty) unless `shown`.
    """

    respondents: int
    shown: bool
    score: float | None
    statement_means: Mapping[int, float]

    def __post_init__(self) -> None:
        if self.shown and self.score is None:
            raise ValueError("a shown group needs a score")
        if not self.shown and (self.score is not None or self.statement_means):
            raise ValueError("a hidden group must not carry a score or statement means")

    @property
    def type(self) -> RelationshipType | None:
        """The type of the score as shown (one decimal, scoring.core.rounding), or None when the
        group is not shown: a score shown as 80.0 is Integrated even if it is 79.96."""
        return None if self.score is None else relationship_type(rounded(self.score))


@dataclass(frozen=True, kw_only=True)
class DepartmentResult:
    """One department: everyone together, the heads' view and the staff's view."""

    total: GroupResult
    leaders: GroupResult
    staff: GroupResult

    @property
    def leaders_minus_staff(self) -> float | None:
        """leaders.score - staff.score; positive means the heads rate the relationship higher.

        None unless both groups are shown.
        """
        if self.leaders.score is None or self.staff.score is None:
            return None
        return self.leaders.score - self.staff.score


@dataclass(frozen=True, kw_only=True)
class StatementGap:
    """The two departments' mean ratings of one statement."""

    statement: int
    sales_mean: float
    marketing_mean: float

    @property
    def gap(self) -> float:
        """sales_mean - marketing_mean; positive means sales rates the statement higher."""
        return self.sales_mean - self.marketing_mean


@dataclass(frozen=True, kw_only=True)
class RoundScore:
    """Everything the results pages show for one round, anonymity already applied."""

    threshold: int
    sales: DepartmentResult
    marketing: DepartmentResult
    combined_level: float | None
    gap: float | None
    statement_gaps: tuple[StatementGap, ...]

    @property
    def combined_type(self) -> RelationshipType | None:
        """The type of the combined level as shown (one decimal), or None when unknown."""
        if self.combined_level is None:
            return None
        return relationship_type(rounded(self.combined_level))

    @property
    def heads_level(self) -> float | None:
        """(sales heads' view + marketing heads' view) / 2, or None unless both are shown."""
        sales, marketing = self.sales.leaders.score, self.marketing.leaders.score
        return None if sales is None or marketing is None else (sales + marketing) / 2

    @property
    def guide_type(self) -> RelationshipType | None:
        """The type "do we need to move?" starts from: the combined type, or, in a small
        team whose staff are too few to compare the departments, the type of the two heads'
        views (shown as such: the heads answer as the heads' view)."""
        if self.combined_type is not None or self.heads_level is None:
            return self.combined_type
        return relationship_type(rounded(self.heads_level))

    def department(self, name: str) -> DepartmentResult:
        """The result of `name` ("sales" or "marketing"); ValueError for any other name."""
        if name == SALES:
            return self.sales
        if name == MARKETING:
            return self.marketing
        raise ValueError(f"unknown department {name!r}")


def group_result(cells: Iterable[Cell], *, shown: bool) -> GroupResult:
    """Combine the cells of one group, possibly of several roles, into a GroupResult.

    Cells of the same statement are merged by adding respondents and rating sums.
    Statement mean = rating_sum / respondents. Every respondent answers all 20 statements,
    so group score = sum over statements of the statement means = mean respondent score.
    respondents = max over statements of the merged respondents (0 if there are no cells).
    `shown` is forced False when respondents == 0.
    """
    return _result(_tally(cells), shown=shown)


def rating_cell(department: str, role: str, statement: int, counts: Sequence[int]) -> Cell:
    """The Cell of one group and statement from how many gave each rating 1..5:
    respondents = sum(counts), rating_sum = sum(r * c), rating_squares = sum(r * r * c)."""
    if len(counts) != MAX_RATING:
        raise ValueError(f"expected {MAX_RATING} counts, got {len(counts)}")
    ratings = range(MIN_RATING, MAX_RATING + 1)
    return Cell(
        department=department,
        role=role,
        statement=statement,
        respondents=sum(counts),
        rating_sum=sum(r * c for r, c in zip(ratings, counts, strict=True)),
        rating_squares=sum(r * r * c for r, c in zip(ratings, counts, strict=True)),
    )


def combined_level(sales_score: float | None, marketing_score: float | None) -> float | None:
    """Department-balanced level: (sales + marketing) / 2.

    Each department counts once whatever its size, so a big sales force does not drown a
    small marketing team. None unless both scores are known.
    """
    if sales_score is None or marketing_score is None:
        return None
    return (sales_score + marketing_score) / 2


def perception_gap(sales_score: float | None, marketing_score: float | None) -> float | None:
    """sales - marketing, in points; positive means sales rates the relationship higher.

    None unless both scores are known.
    """
    if sales_score is None or marketing_score is None:
        return None
    return sales_score - marketing_score


class HasGap(Protocol):
    @property
    def statement(self) -> int: ...

    @property
    def gap(self) -> float: ...


Gapped = TypeVar("Gapped", bound=HasGap)


def rank_by_gap(gaps: Iterable[Gapped]) -> tuple[Gapped, ...]:
    """Largest absolute gap first; ties by statement number (statement gaps and insights).

    Gaps are compared without float noise (rounding.compared), so means like 10/3 cannot
    break a tie; a real difference that small could only tie two practically equal gaps.
    """
    return tuple(sorted(gaps, key=lambda g: (-compared(abs(g.gap)), g.statement)))


GroupKey = tuple[str, str]
"""(department, LEADER | STAFF | TOTAL)."""


def visible_groups(answered: Mapping[tuple[str, str], int], threshold: int) -> frozenset[GroupKey]:
    """The groups whose figures (n, means, spreads, histograms) may be shown.

    `answered` maps (department, role) to how many answered before the round closed; a
    missing key means nobody. The rules, for k = threshold:
    - (d, LEADER), the heads' view: shown with at least one head;
    - (d, STAFF): shown only with at least k staff;
    - (d, TOTAL), leaders and staff together: only when (d, STAFF) is shown, since the total
      minus the heads' view would otherwise reveal a staff group below k;
    - anything comparing the departments (combined level, gaps, statement gaps): only when
      both (SALES, TOTAL) and (MARKETING, TOTAL) are shown.
    Every other group, including any difference of the shown ones that is not the heads'
    view, then has 0 or at least k people.
    """
    _check_threshold(threshold)
    shown: set[GroupKey] = set()
    for department in DEPARTMENTS:
        if answered.get((department, LEADER), 0) >= 1:
            shown.add((department, LEADER))
        if answered.get((department, STAFF), 0) >= threshold:
            shown.update({(department, STAFF), (department, TOTAL)})
    return frozenset(shown)


def departments_comparable(visible: frozenset[GroupKey]) -> bool:
    """True when both department totals are visible, so they may be compared."""
    return all((department, TOTAL) in visible for department in DEPARTMENTS)


def score_round(cells: Iterable[Cell], threshold: int) -> RoundScore:
    """Score one round from its cells, applying the anonymity rules with threshold k.

    - leaders of a department ("the heads' view"): shown when they have >= 1 respondent;
    - staff of a department: shown only when they have >= k respondents;
    - department total (leaders and staff together): shown only when its staff is shown,
      since total minus the heads' view would otherwise reveal a staff group below k;
    - combined level = (sales total + marketing total) / 2, gap = sales total - marketing
      total, and statement gaps (from the totals' statement means, ranked by rank_by_gap):
      only when both department totals are shown.

    These are the rules of visible_groups. ValueError when k < 3 or a cell has an unknown
    department or role.
    """
    _check_threshold(threshold)
    groups = _split_by_group(cells)
    tallies = {key: _tally(group) for key, group in groups.items()}
    visible = visible_groups({key: t.respondents for key, t in tallies.items()}, threshold)
    totals = {d: _tally(groups[d, LEADER] + groups[d, STAFF]) for d in DEPARTMENTS}
    sales, marketing = (
        DepartmentResult(
            total=_result(totals[d], shown=(d, TOTAL) in visible),
            leaders=_result(tallies[d, LEADER], shown=(d, LEADER) in visible),
            staff=_result(tallies[d, STAFF], shown=(d, STAFF) in visible),
        )
        for d in DEPARTMENTS
    )
    level: float | None = None
    gap: float | None = None
    statement_gaps: tuple[StatementGap, ...] = ()
    sales_score, marketing_score = totals[SALES].score, totals[MARKETING].score
    if departments_comparable(visible):
        assert sales_score is not None and marketing_score is not None
        # From the exact totals, so that e.g. 179/3 and 181/3 give a level of exactly 60.
        level = float((sales_score + marketing_score) / 2)
        gap = float(sales_score - marketing_score)
        statement_gaps = rank_by_gap(
            StatementGap(
                statement=statement,
                sales_mean=sales.total.statement_means[statement],
                marketing_mean=marketing_mean,
            )
            for statement, marketing_mean in marketing.total.statement_means.items()
            if statement in sales.total.statement_means
        )
    return RoundScore(
        threshold=threshold,
        sales=sales,
        marketing=marketing,
        combined_level=level,
        gap=gap,
        statement_gaps=statement_gaps,
    )


@dataclass(frozen=True, kw_only=True)
class _Tally:
    """A group's exact aggregates before the anonymity decision."""

    respondents: int
    score: Fraction | None
    statement_means: Mapping[int, Fraction]


def _tally(cells: Iterable[Cell]) -> _Tally:
    respondents: dict[int, int] = {}
    sums: dict[int, int] = {}
    for cell in cells:
        respondents[cell.statement] = respondents.get(cell.statement, 0) + cell.respondents
        sums[cell.statement] = sums.get(cell.statement, 0) + cell.rating_sum
    means = {s: Fraction(sums[s], respondents[s]) for s in sorted(respondents)}
    return _Tally(
        respondents=max(respondents.values(), default=0),
        score=sum(means.values(), Fraction(0)) if means else None,
        statement_means=means,
    )


def _result(tally: _Tally, *, shown: bool) -> GroupResult:
    if not shown or tally.respondents == 0 or tally.score is None:
        return GroupResult(
            respondents=tally.respondents,
            shown=False,
            score=None,
            statement_means=MappingProxyType({}),
        )
    means = {statement: float(mean) for statement, mean in tally.statement_means.items()}
    return GroupResult(
        respondents=tally.respondents,
        shown=True,
        score=float(tally.score),
        statement_means=MappingProxyType(means),
    )


def _split_by_group(cells: Iterable[Cell]) -> dict[tuple[str, str], list[Cell]]:
    """Cells keyed by (department, role); ValueError on an unknown department or role."""
    groups: dict[tuple[str, str], list[Cell]] = {(d, r): [] for d in DEPARTMENTS for r in ROLES}
    for cell in cells:
        if (cell.department, cell.role) not in groups:
            raise ValueError(f"unknown department/role {cell.department!r}/{cell.role!r}")
        groups[cell.department, cell.role].append(cell)
    return groups


def _check_threshold(threshold: int) -> None:
    if not _is_int(threshold) or threshold < MIN_THRESHOLD:
        raise ValueError(f"anonymity threshold must be at least {MIN_THRESHOLD}, got {threshold!r}")


def _is_int(value: object) -> bool:
    """True for an int that is not a bool (True would otherwise pass as a rating of 1)."""
    return isinstance(value, int) and not isinstance(value, bool)
