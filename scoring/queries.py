"""The only ORM reads of scoring: aggregates computed in SQL, returned as plain rows."""

from django.db.models import Count, Sum

from scoring.core import Cell
from survey.models import Answer, Round


def round_cells(round: Round) -> list[Cell]:
    """One row per department, role and statement of the submitted answers of a round.

    At most 2 x 2 x 20 rows whatever the number of respondents: the database does the
    counting and summing (GROUP BY department, role, statement).
    """
    rows = (
        Answer.objects.filter(respondent__round=round, respondent__submitted_at__isnull=False)
        .values_list("respondent__department", "respondent__role", "statement")
        .annotate(respondents=Count("id"), rating_sum=Sum("rating"))
        .order_by()
    )
    return [
        Cell(department=d, role=r, statement=s, respondents=n, rating_sum=total)
        for d, r, s, n, total in rows
    ]
