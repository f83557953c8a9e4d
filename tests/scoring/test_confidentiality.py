"""Property test of the anonymity rules: no figure a closed round publishes, nor any
difference of two of them, describes 0 < n < k people other than the heads' view. Results
are published once, at the close, so there is no earlier state to subtract (the last test
shows why live figures would leak). Pure: it runs the same core and insights functions as
the publisher and the pages."""

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.core.insights import round_insights
from scoring.core.scores import (
    DEPARTMENTS,
    LEADER,
    STAFF,
    TOTAL,
    Cell,
    ScoreCount,
    score_round,
)


@dataclass(frozen=True)
class Person:
    id: int
    department: str
    role: str
    ratings: tuple[int, ...]

    @property
    def score(self) -> int:
        return sum(self.ratings)


@st.composite
def companies(draw):
    """A threshold and people in random departments, roles and order of submission."""
    k = draw(st.integers(3, 6))
    people = []
    for department in DEPARTMENTS:
        for role, most in ((LEADER, 2), (STAFF, 3 * k + 2)):
            for _ in range(draw(st.integers(0, most))):
                ratings = draw(st.lists(st.integers(1, 5), min_size=20, max_size=20))
                people.append((department, role, tuple(ratings)))
    order = draw(st.permutations(range(len(people))))
    return k, [Person(i, *people[j]) for i, j in enumerate(order)]


def sql_rows(people: list[Person]) -> tuple[list[Cell], list[ScoreCount]]:
    cells, scores = {}, {}
    for p in people:
        for statement, rating in enumerate(p.ratings, start=1):
            n, s, q = cells.get((p.department, p.role, statement), (0, 0, 0))
            cells[p.department, p.role, statement] = (n + 1, s + rating, q + rating * rating)
        key = (p.department, p.role, p.score)
        scores[key] = scores.get(key, 0) + 1
    return (
        [
            Cell(department=d, role=r, statement=s, respondents=n, rating_sum=t, rating_squares=q)
            for (d, r, s), (n, t, q) in cells.items()
        ],
        [
            ScoreCount(department=d, role=r, score=score, respondents=n)
            for (d, r, score), n in scores.items()
        ],
    )


def members(people: list[Person], department: str, role: str) -> frozenset[Person]:
    return frozenset(p for p in people if p.department == department and role in (p.role, TOTAL))


def shown_figures(answered: list[Person], k: int) -> set[frozenset[Person]]:
    """Every group the results show a figure of, checked to be that group's n and sum."""
    return set(keyed_figures(answered, k).values())


def keyed_figures(people: list[Person], k: int) -> dict[tuple[str, str], frozenset[Person]]:
    """The groups of `people` the published results show figures of, by (department,
    role or TOTAL), each checked to be what the figures say."""
    cells, scores = sql_rows(people)
    result = score_round(cells, k)
    insights = round_insights(cells, scores, k)
    figures = {}
    for department in DEPARTMENTS:
        found = result.department(department)
        for role, group in ((TOTAL, found.total), (LEADER, found.leaders), (STAFF, found.staff)):
            if group.shown:
                who = members(people, department, role)
                assert group.respondents == len(who)
                assert abs(group.score * len(who) - sum(p.score for p in who)) < 1e-6
                figures[department, role] = who
    for (department, role), insight in insights.groups.items():
        who = members(people, department, role)
        assert insight.summary.n == sum(n for _, n in insight.histogram) == len(who)
        assert sorted(p.score for p in who) == [s for s, n in insight.histogram for _ in range(n)]
        figures[department, role] = who
    for row in insights.statements:  # per-statement means and spreads of the two totals
        for department in DEPARTMENTS:
            who = members(people, department, TOTAL)
            assert row.department(department).n == len(who)
            figures[department, TOTAL] = who
    return figures


def derivable(figures: set[frozenset[Person]]) -> set[frozenset[Person]]:
    """Every group obtainable by subtracting one shown group from another containing it,
    repeated until nothing new appears."""
    known = set(figures)
    while True:
        new = {a - b for a in known for b in known if b < a} - known
        if not new:
            return known
        known |= new


def leaks(groups: set[frozenset[Person]], k: int) -> list[frozenset[Person]]:
    """Groups of 0 < n < k that are not made of heads only (the heads' view is shown)."""
    return [g for g in groups if 0 < len(g) < k and any(p.role == STAFF for p in g)]


@settings(max_examples=300, deadline=None)
@given(companies())
def test_no_published_figure_or_difference_of_figures_singles_out_staff(company) -> None:
    k, people = company
    assert not leaks(derivable(shown_figures(people, k)), k)


def test_a_staff_group_below_k_would_leak_by_subtraction_without_the_rules() -> None:
    """The property test can fail: a total shown beside the heads' view while only two staff
    have answered gives the two staff away."""
    head = Person(0, "sales", LEADER, (4,) * 20)
    staff = [Person(i, "sales", STAFF, (3,) * 20) for i in (1, 2)]
    total = frozenset([head, *staff])
    assert frozenset(staff) in leaks(derivable({total, frozenset([head])}), k=5)


def test_a_live_figure_updated_one_answer_at_a_time_would_leak() -> None:
    """Why results are published once, at the close: two successive snapshots of k and
    k + 1 staff would give away the last."""
    staff = [Person(i, "sales", STAFF, (3,) * 20) for i in range(6)]
    before, after = frozenset(staff[:5]), frozenset(staff)
    assert leaks(derivable({before, after}), k=5) == [frozenset(staff[5:])]
