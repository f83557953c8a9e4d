"""A company's closed rounds up to one of them, with their published results."""

from scoring.results.published import Published, published_by_round
from survey.models import Round


def published_until(survey_round: Round) -> list[tuple[Round, Published]]:
    """The company's closed rounds opened up to and including `survey_round`, oldest first,
    each with its published results, from two queries however many rounds there are.
    Open rounds have no results yet, so trends compare closed rounds only."""
    rounds = list(
        Round.objects.filter(
            company_id=survey_round.company_id,
            opened_at__lte=survey_round.opened_at,
            closed_at__isnull=False,
        )
        .select_related("company")
        .order_by("opened_at", "pk")
    )
    results = published_by_round(rounds)
    return [(r, results[r.pk]) for r in rounds]
