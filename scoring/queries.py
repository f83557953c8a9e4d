"""What the pages of a round read from the database: its published figures, as plain rows.

Every figure comes from scoring.releases, so all pages and files of a round show the same
people with the same answers, and change only when a group is released.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from scoring.core import STAFF, Cell, ScoreCount
from scoring.models import GroupRelease
from scoring.releases import current_releases
from survey.models import Round


def anonymity_threshold(round: Round) -> int:
    """The k of a round (scoring.releases reads the same field when it publishes)."""
    return round.anonymity_threshold


@dataclass(frozen=True)
class RoundRows:
    """Everything the dashboard reads from the database for one round."""

    answered: dict[tuple[str, str], int]  # who has submitted, per (department, role)
    cells: list[Cell]
    scores: list[ScoreCount]
    pending: bool = False  # counted staff have changed answers the figures do not show yet


def round_rows(round: Round) -> RoundRows:
    """The round's published figures (released first where due) and who has answered.

    Two small queries when nothing changed since the last view, at any number of
    respondents; see scoring.releases for what happens after someone answers.
    """
    releases, states = current_releases([round])
    return RoundRows(
        answered={(d, role): n for (_, d, role), (n, _) in states.items()},
        cells=release_cells(releases.values()),
        scores=release_scores(releases.values()),
        pending=any(r.pending and r.role == STAFF for r in releases.values()),
    )


def release_cells(releases: Iterable[GroupRelease]) -> list[Cell]:
    """One Cell per group and statement: at most 2 x 2 x 20 per round."""
    return [
        Cell(r.department, r.role, statement, n, total, squares)
        for r in releases
        for statement, n, total, squares in r.cells
    ]


def release_scores(releases: Iterable[GroupRelease]) -> list[ScoreCount]:
    """How many counted respondents have each score: at most 2 x 2 x 81 rows per round."""
    return [ScoreCount(r.department, r.role, score, n) for r in releases for score, n in r.scores]
