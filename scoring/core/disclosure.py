"""Pure rules for what a round may publish beyond the ratings: comments, each side's guess
of the other, and the small-team view. No Django here (mypy --strict).

Every rule answers one question: could a leader, holding everything published, work out
one staff member's answers, comment or guess? Staff figures therefore always cover a group
of at least k people, and no two published figures differ by fewer than k staff. Heads are
told that their answers, comments and guesses are shown as the heads' view, so theirs are
published whenever there is one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scoring.core.scores import DEPARTMENTS, LEADER, STAFF, GroupKey, _check_threshold

POOLED = "pooled"  # the staff of both departments as one group, in a group key
MIN_COMMENTERS = 5  # comments need at least this many commenters, whatever k is
GUESS_TYPES = ("undefined", "defined", "aligned", "integrated")
UNKNOWN = "unknown"  # "I don't know"

CommentKey = tuple[str, str, int]  # department (or POOLED), role, statement (0: open question)


def comment_threshold(threshold: int) -> int:
    """How many people of a group must have commented on a statement before its comments
    are shown: max(k, 5). Five, even when k is 3, because a comment's wording can point to
    its author far more than a rating can."""
    _check_threshold(threshold)
    return max(threshold, MIN_COMMENTERS)


@dataclass(frozen=True, kw_only=True)
class SmallTeam:
    """The small-team view of a round, decided from how many answered in each group.

    - `active`: some department's staff group has fewer than k answers, so the usual
      department totals and gaps are missing;
    - `heads`: both departments have a heads' view, shown side by side with their gap;
    - `pooled`: the staff of both departments, counted as one group. Only when neither
      staff group is shown on its own (else the pool minus the shown one would be the
      other, smaller than k) and the pool reaches k.
    """

    active: bool
    heads: bool
    pooled: bool


def small_team(answered: Mapping[GroupKey, int], threshold: int) -> SmallTeam:
    """`answered` maps (department, role) to how many answered; a missing key means none."""
    _check_threshold(threshold)
    staff = [answered.get((d, STAFF), 0) for d in DEPARTMENTS]
    heads = all(answered.get((d, LEADER), 0) >= 1 for d in DEPARTMENTS)
    active = any(n < threshold for n in staff)
    pooled = all(n < threshold for n in staff) and sum(staff) >= threshold
    return SmallTeam(active=active, heads=active and heads, pooled=pooled)


def shown_comment_groups(
    commenters: Mapping[CommentKey, int], answered: Mapping[GroupKey, int], threshold: int
) -> frozenset[CommentKey]:
    """The (department, role, statement) groups whose comments may be published.

    `commenters` counts, per department, role and statement, the people who left a comment
    (at most one each). Heads' comments: whenever there are any (the heads' view). A
    department's staff comments on a statement: with at least max(k, 5) commenters, which
    implies the staff group itself is shown. The pooled staff's comments (key POOLED): only
    in the pooled small-team view, with at least max(k, 5) commenters in the pool; no
    department's staff comments can then be shown (each has fewer than k people), so the
    pool cannot be split by subtracting them.
    """
    least = comment_threshold(threshold)
    pooled = small_team(answered, threshold).pooled
    shown: set[CommentKey] = set()
    for (department, role, statement), n in commenters.items():
        if n <= 0:
            continue
        if role == LEADER and department in DEPARTMENTS:
            shown.add((department, role, statement))
        elif role == STAFF and department in DEPARTMENTS and n >= least:
            shown.add((department, role, statement))
        elif role == STAFF and department == POOLED and pooled and n >= least:
            shown.add((department, role, statement))
    return frozenset(shown)


def shown_guess_groups(answered: Mapping[GroupKey, int], threshold: int) -> frozenset[GroupKey]:
    """The groups whose guesses may be published: the heads' view with at least one head,
    a department's staff with at least k answers. Never a department's staff and heads
    added together, nor a pool (a guess is about the other department, so pooling the two
    departments' guesses would mean nothing)."""
    _check_threshold(threshold)
    shown: set[GroupKey] = set()
    for department in DEPARTMENTS:
        if answered.get((department, LEADER), 0) >= 1:
            shown.add((department, LEADER))
        if answered.get((department, STAFF), 0) >= threshold:
            shown.add((department, STAFF))
    return frozenset(shown)


def expected_types(counts: Mapping[str, int]) -> tuple[str, ...]:
    """The most common guess among the four types ("I don't know" left out), several when
    tied, in the types' order; empty when nobody guessed a type.

    >>> expected_types({"defined": 3, "aligned": 1, "unknown": 4})
    ('defined',)
    """
    best = max((counts.get(t, 0) for t in GUESS_TYPES), default=0)
    if best == 0:
        return ()
    return tuple(t for t in GUESS_TYPES if counts.get(t, 0) == best)


def prefix_formula(text: str) -> str:
    """A cell a spreadsheet would read as a formula (=, +, -, @, a tab or a carriage return
    first) gets a leading apostrophe, so it opens as the text that was typed."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
