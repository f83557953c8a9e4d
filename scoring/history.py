"""The ORM read of a company's history: every round's cells in one aggregate query."""

from collections import defaultdict

from django.db.models import Count, Sum

from scoring.core import Cell
from scoring.queries import counted_respondents
from survey.models import Answer, Round


def rounds_until(round: Round) -> list[Round]:
    """The company's rounds opened up to and including `round`, oldest first."""
    return list(
        Round.objects.filter(company_id=round.company_id, opened_at__lte=round.opened_at)
        .select_related("company")
        .order_by("opened_at", "pk")
    )


def cells_by_round(rounds: list[Round]) -> dict[int, list[Cell]]:
    """Cells of every given round from ONE query: GROUP BY round, department, role, statement.

    Only the respondents each round's own figures count (queries.counted_respondents), so
    a trend point never differs from that round's dashboard by a small group. Rounds
    without submitted answers get an empty list.
    """
    rows = (
        Answer.objects.filter(respondent__in=counted_respondents(*rounds).values("id"))
        .values_list("respondent__round", "respondent__department", "respondent__role", "statement")
        .annotate(respondents=Count("id"), rating_sum=Sum("rating"))
        .order_by()
    )
    cells: dict[int, list[Cell]] = defaultdict(list)
    for round_id, department, role, statement, count, total in rows:
        cells[round_id].append(Cell(department, role, statement, count, total))
    return {r.pk: cells.get(r.pk, []) for r in rounds}
