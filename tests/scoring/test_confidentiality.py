"""Property test of the anonymity rules: no figure the dashboard shows, nor any difference
of two of them, nor of two successive published states, describes 0 < n < k people other
than the heads' view, also when counted people change their answers. Pure: it runs the same
core and insights functions as the view and the release rule the publisher runs."""

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.core import (
    DEPARTMENTS,
    LEADER,
    ROLES,
    STAFF,
    TOTAL,
    Cell,
    ScoreCount,
    counted_respondents,
    release_step,
    score_round,
)
from scoring.insights import round_insights


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


def counted(submitted: list[Person], k: int) -> list[Person]:
    """What queries.counted_respondents selects: the first counted_respondents(m) of each
    group in submission order."""
    chosen = []
    for department in DEPARTMENTS:
        for role in ROLES:
            group = [p for p in submitted if (p.department, p.role) == (department, role)]
            chosen += group[: counted_respondents(len(group), role=role, threshold=k)]
    return chosen


def sql_rows(people: list[Person]) -> tuple[list[Cell], list[ScoreCount]]:
    cells, scores = {}, {}
    for p in people:
        for statement, rating in enumerate(p.ratings, start=1):
            n, s, q = cells.get((p.department, p.role, statement), (0, 0, 0))
            cells[p.department, p.role, statement] = (n + 1, s + rating, q + rating * rating)
        key = (p.department, p.role, p.score)
        scores[key] = scores.get(key, 0) + 1
    return (
        [Cell(d, r, s, n, t, q) for (d, r, s), (n, t, q) in cells.items()],
        [ScoreCount(d, r, score, n) for (d, r, score), n in scores.items()],
    )


def members(people: list[Person], department: str, role: str) -> frozenset[Person]:
    return frozenset(p for p in people if p.department == department and role in (p.role, TOTAL))


def shown_figures(submitted: list[Person], k: int) -> set[frozenset[Person]]:
    """Every group the dashboard shows a figure of, checked to be that group's n and sum."""
    return set(keyed_figures(counted(submitted, k), k).values())


def keyed_figures(people: list[Person], k: int) -> dict[tuple[str, str], frozenset[Person]]:
    """The groups of `people` (as counted) the dashboard shows figures of, by (department,
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


@settings(max_examples=150, deadline=None)
@given(companies())
def test_no_figure_or_difference_of_figures_singles_out_staff(company) -> None:
    k, people = company
    previous: set[frozenset[Person]] = set()
    for moment in range(len(people) + 1):
        current = shown_figures(people[:moment], k)
        assert not leaks(derivable(current), k)
        assert not leaks(derivable(current | previous), k), "two successive snapshots"
        previous = current


def test_a_staff_group_below_k_would_leak_by_subtraction_without_the_rules() -> None:
    """The property test can fail: a total shown beside the heads' view while only two staff
    have answered gives the two staff away."""
    head = Person(0, "sales", LEADER, (4,) * 20)
    staff = [Person(i, "sales", STAFF, (3,) * 20) for i in (1, 2)]
    total = frozenset([head, *staff])
    assert frozenset(staff) in leaks(derivable({total, frozenset([head])}), k=5)


def test_a_live_figure_updated_one_answer_at_a_time_would_leak() -> None:
    """Without batches, two successive snapshots of k and k + 1 staff give away the last."""
    staff = [Person(i, "sales", STAFF, (3,) * 20) for i in range(6)]
    before, after = frozenset(staff[:5]), frozenset(staff)
    assert leaks(derivable({before, after}), k=5) == [frozenset(staff[5:])]


# Edits. A person is published as a version (the Person with the ratings the figures
# count); a change makes a new version with the same id. A shown figure is the set of
# versions it counts, so the histogram and the answers file are covered too: a version that
# leaves a figure is a score that leaves the histogram and a row that leaves the file.


def publish(published: dict[int, Person], submitted: list[Person], k: int) -> dict[int, Person]:
    """What scoring.releases publishes: core.release_step per group, on the people not
    counted yet (in submission order) and the counted whose answers differ from theirs."""
    new = dict(published)
    for department in DEPARTMENTS:
        for role in ROLES:
            group = [p for p in submitted if (p.department, p.role) == (department, role)]
            waiting = [p for p in group if p.id not in published]
            changed = [p for p in group if p.id in published and published[p.id] != p]
            step = release_step(waiting, changed, role=role, threshold=k)
            new.update((p.id, p) for p in (*step.publish, *step.republish))
    return new


def moved(before: frozenset[Person], after: frozenset[Person]) -> list[frozenset[int]]:
    """Whose versions left the figure, whose arrived, and both: as sets of person ids."""
    left = frozenset(p.id for p in before - after)
    arrived = frozenset(p.id for p in after - before)
    return [left, arrived, left | arrived]


def staff_below_k(ids: frozenset[int], people: dict[int, Person], k: int) -> bool:
    return 0 < len(ids) < k and any(people[i].role == STAFF for i in ids)


@st.composite
def companies_with_edits(draw):
    """A company, and between submissions random counted or waiting people changing some or
    none of their ratings (the same answers submitted again too)."""
    k, people = draw(companies())
    events: list[Person] = []
    for index, person in enumerate(people):
        events.append(person)
        for _ in range(draw(st.integers(0, 3))):
            who = people[draw(st.integers(0, index))]
            ratings = list(who.ratings)
            for _ in range(draw(st.integers(0, 2))):
                ratings[draw(st.integers(0, 19))] = draw(st.integers(1, 5))
            events.append(Person(who.id, who.department, who.role, tuple(ratings)))
    return k, events


@settings(max_examples=200, deadline=None)
@given(companies_with_edits())
def test_changed_answers_show_only_in_batches_that_single_out_nobody(company) -> None:
    k, events = company
    current: dict[int, Person] = {}  # everyone's answers as they stand, in submission order
    published: dict[int, Person] = {}
    before = keyed_figures([], k)
    for event in events:
        edit = event.id in current
        current[event.id] = event
        published_before = published
        published = publish(published, list(current.values()), k)
        after = keyed_figures(list(published.values()), k)
        assert not leaks(derivable(set(after.values())), k)
        assert not leaks(derivable(set(after.values()) | set(before.values())), k)
        for key in before.keys() & after.keys():
            for ids in moved(before[key], after[key]):
                assert not staff_below_k(ids, current, k), f"{key} moved by {len(ids)}"
        if edit and event.role == STAFF:
            republished = {i for i in published_before if published[i] != published_before[i]}
            assert not republished or len(republished) >= k, "an edit alone moved a figure"
        before = after


def test_fewer_than_k_changes_never_move_the_figures() -> None:
    staff = [Person(i, "sales", STAFF, (3,) * 20) for i in range(5)]
    published = publish({}, staff, k=5)
    edited = [Person(i, "sales", STAFF, (4,) * 20) if i < 4 else p for i, p in enumerate(staff)]
    assert publish(published, edited, k=5) == published
    everyone = [Person(4, "sales", STAFF, (1,) * 20) if p.id == 4 else p for p in edited]
    assert set(publish(published, everyone, k=5).values()) == set(everyone)


def test_one_change_released_with_a_batch_of_newcomers_would_give_away_the_old_answers() -> None:
    """The property test can fail on edits: releasing one person's change together with k
    newcomers makes their old version leave the figures, so their old score leaves the
    histogram and their old row the answers file."""
    staff = [Person(i, "sales", STAFF, (3,) * 20) for i in range(5)]
    newcomers = [Person(i, "sales", STAFF, (4,) * 20) for i in range(5, 10)]
    edited = Person(0, "sales", STAFF, (5,) * 20)
    before, after = frozenset(staff), frozenset([edited, *staff[1:], *newcomers])
    people = {p.id: p for p in [*staff, *newcomers]}
    left, _, _ = moved(before, after)
    assert left == {0} and staff_below_k(left, people, k=5)
