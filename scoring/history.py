"""The ORM read of a company's history: every round's published cells at once."""

from collections import defaultdict

from scoring.core import Cell
from scoring.queries import release_cells
from scoring.releases import current_releases
from survey.models import Round


def rounds_until(round: Round) -> list[Round]:
    """The company's rounds opened up to and including `round`, oldest first."""
    return list(
        Round.objects.filter(company_id=round.company_id, opened_at__lte=round.opened_at)
        .select_related("company")
        .order_by("opened_at", "pk")
    )


def cells_by_round(rounds: list[Round]) -> dict[int, list[Cell]]:
    """Cells of every given round from the same releases its own dashboard shows.

    All rounds' releases are brought up to date and read together (the same few queries
    for two rounds or twenty), so a trend point always equals that round's dashboard and
    never comes from answers the round has not released. Rounds without published answers
    get an empty list.
    """
    releases, _ = current_releases(rounds)
    by_round = defaultdict(list)
    for release in releases.values():
        by_round[release.round_id].append(release)
    return {r.pk: release_cells(by_round[r.pk]) for r in rounds}
