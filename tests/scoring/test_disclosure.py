"""The pure rules for comments, guesses and the small-team view (no database)."""

from itertools import permutations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.core.disclosure import (
    POOLED,
    SmallTeam,
    comment_threshold,
    expected_types,
    prefix_formula,
    shown_comment_groups,
    shown_guess_groups,
    small_team,
)
from scoring.core.scores import DEPARTMENTS, LEADER, STAFF, TOTAL, visible_groups


@pytest.mark.parametrize(("k", "least"), [(3, 5), (4, 5), (5, 5), (6, 6), (10, 10)])
def test_comments_need_max_k_and_5_commenters(k, least):
    assert comment_threshold(k) == least


def test_a_threshold_below_3_is_refused():
    with pytest.raises(ValueError):
        comment_threshold(2)


def counts(sales_staff, marketing_staff, sales_heads=1, marketing_heads=1):
    return {
        ("sales", STAFF): sales_staff,
        ("marketing", STAFF): marketing_staff,
        ("sales", LEADER): sales_heads,
        ("marketing", LEADER): marketing_heads,
    }


@pytest.mark.parametrize(
    ("answered", "k", "expected"),
    [
        (counts(2, 2), 3, SmallTeam(active=True, heads=True, pooled=True)),
        (counts(4, 2), 3, SmallTeam(active=True, heads=True, pooled=False)),  # 6 - 4 = 2
        (counts(1, 1), 3, SmallTeam(active=True, heads=True, pooled=False)),  # 2 < 3
        (counts(5, 5), 3, SmallTeam(active=False, heads=False, pooled=False)),
        (counts(2, 2, marketing_heads=0), 3, SmallTeam(active=True, heads=False, pooled=True)),
        (counts(4, 5), 5, SmallTeam(active=True, heads=True, pooled=False)),  # 5 shown alone
        (counts(4, 4), 5, SmallTeam(active=True, heads=True, pooled=True)),
        (counts(0, 2), 3, SmallTeam(active=True, heads=True, pooled=False)),
    ],
)
def test_small_team_view_by_hand(answered, k, expected):
    assert small_team(answered, k) == expected


def test_comment_groups_by_hand():
    """k = 3, so 5 commenters: sales staff on 1 (5) yes, on 2 (4) no; the head's one
    comment yes (heads' view); no pool with 5 staff per department."""
    commenters = {
        ("sales", STAFF, 1): 5,
        ("sales", STAFF, 2): 4,
        ("sales", LEADER, 1): 1,
        ("marketing", STAFF, 0): 3,
        (POOLED, STAFF, 1): 8,
    }
    shown = shown_comment_groups(commenters, counts(5, 5), 3)
    assert shown == {("sales", STAFF, 1), ("sales", LEADER, 1)}


def test_pooled_comments_need_the_pool_and_enough_commenters():
    commenters = {(POOLED, STAFF, 1): 5, (POOLED, STAFF, 2): 4, ("sales", STAFF, 1): 3}
    assert shown_comment_groups(commenters, counts(3, 3), 4) == {(POOLED, STAFF, 1)}


def test_guess_groups_by_hand():
    assert shown_guess_groups(counts(3, 2, marketing_heads=0), 3) == {
        ("sales", LEADER),
        ("sales", STAFF),
    }


@pytest.mark.parametrize(
    ("guesses", "expected"),
    [
        ({"defined": 3, "aligned": 1, "unknown": 4}, ("defined",)),
        ({"defined": 2, "integrated": 2}, ("defined", "integrated")),
        ({"unknown": 5}, ()),
        ({}, ()),
    ],
)
def test_the_expected_type_is_the_most_common_guess(guesses, expected):
    assert expected_types(guesses) == expected


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+44 123", "'+44 123"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("fine = ok", "fine = ok"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_get_a_quote(text, cell):
    assert prefix_formula(text) == cell


# --- nothing published lets anyone subtract one person's answers, comment or guess -------

STATEMENTS = (1, 2)  # two statements are enough to mix who commented where


@st.composite
def companies(draw):
    """People of a small company: (id, department, role), who answered, who commented on
    which statement, and k."""
    k = draw(st.integers(3, 10))
    people = []
    for department in DEPARTMENTS:
        for i in range(draw(st.integers(0, 1))):
            people.append((f"{department}-head-{i}", department, LEADER))
        for i in range(draw(st.integers(1, 6))):
            people.append((f"{department}-staff-{i}", department, STAFF))
    answered = [p for p in people if draw(st.booleans()) or p[2] == LEADER]
    commented = {s: [p for p in answered if draw(st.booleans())] for s in STATEMENTS}
    return k, answered, commented


def ids(people, department=None, role=None):
    return frozenset(
        p[0]
        for p in people
        if (department is None or p[1] == department) and (role is None or p[2] == role)
    )


def published_sets(k, answered, commented):
    """Every group a published figure covers, per kind of figure, as sets of people."""
    counts = {}
    for _, department, role in answered:
        counts[department, role] = counts.get((department, role), 0) + 1
    ratings = []
    for department, role in visible_groups(counts, k):
        ratings.append(ids(answered, department, None if role == TOTAL else role))
    if small_team(counts, k).pooled:
        ratings.append(ids(answered, role=STAFF))
    guesses = [ids(answered, d, r) for d, r in shown_guess_groups(counts, k)]
    kinds = {"ratings": ratings, "guesses": guesses}
    for statement, people in commented.items():
        commenters = {}
        for _, department, role in people:
            commenters[department, role, statement] = (
                commenters.get((department, role, statement), 0) + 1
            )
            if role == STAFF:
                key = (POOLED, STAFF, statement)
                commenters[key] = commenters.get(key, 0) + 1
        kinds[f"comments {statement}"] = [
            ids(people, None if d == POOLED else d, r)
            for d, r, _ in shown_comment_groups(commenters, counts, k)
        ]
    return kinds


def staff_in(group):
    return {person for person in group if "-staff-" in person}


@settings(max_examples=400, deadline=None)
@given(companies())
def test_nothing_published_lets_anyone_subtract_one_person(company):
    """Each published staff figure covers 0 or at least k staff (comments: max(k, 5)), and
    so does the difference of any two figures of the same kind where one holds the other."""
    k, answered, commented = company
    for kind, groups in published_sets(k, answered, commented).items():
        least = comment_threshold(k) if kind.startswith("comments") else k
        for group in groups:
            assert len(staff_in(group)) in {0} | set(range(least, 100)), (kind, group)
        for bigger, smaller in permutations(groups, 2):
            if smaller < bigger:
                left = staff_in(bigger - smaller)
                assert len(left) == 0 or len(left) >= least, (kind, bigger, smaller)
