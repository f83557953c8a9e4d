"""The only ORM reads of scoring: aggregates computed in SQL, returned as plain rows.

Every read goes through `counted_respondents`, the SQL form of core.counted_respondents,
so all figures of a round describe the same people.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber

from scoring.core import LEADER, Cell, ScoreCount
from survey.models import Answer, Respondent, Round


def anonymity_threshold(round: Round) -> int:
    """The k of a round: with THRESHOLD below, the one place scoring reads it."""
    return round.anonymity_threshold


THRESHOLD = F("round__anonymity_threshold")  # the same k, inside a query


def counted_respondents(*rounds: Round) -> QuerySet[Respondent]:
    """The submitted respondents the figures count (see core.counted_respondents).

    Every head; staff in whole batches of k per round and group in the order they first
    submitted: row number (by submitted_at, then id) <= k * floor(submitted / k).
    Window functions, so one subquery whatever the number of rounds and respondents.
    """
    group = [F("round"), F("department"), F("role")]
    return (
        Respondent.objects.filter(round__in=rounds, submitted_at__isnull=False)
        .annotate(
            position=Window(RowNumber(), partition_by=group, order_by=["submitted_at", "id"]),
            answered=Window(Count("id"), partition_by=group),
        )
        .annotate(
            counted=Case(
                When(role=LEADER, then=F("answered")),
                default=F("answered") / THRESHOLD * THRESHOLD,  # integer division in both DBs
                output_field=IntegerField(),
            )
        )
        .filter(position__lte=F("counted"))
    )


@dataclass(frozen=True)
class RoundRows:
    """Everything the dashboard reads from the database for one round."""

    answered: dict[tuple[str, str], int]  # who has submitted, per (department, role)
    cells: list[Cell]
    scores: list[ScoreCount]


CACHE_SECONDS = 600


def round_rows(round: Round) -> RoundRows:
    """The round's aggregates, cached until anyone submits or changes answers.

    One cheap query per view (who has answered, and the latest submission and change per
    group) doubles as the cache key; the aggregates over every answer run only when that
    key is new, so a page view costs the same at 10 or 10,000 respondents.
    """
    rows = list(
        Respondent.objects.filter(round=round, submitted_at__isnull=False)
        .values_list("department", "role")
        .annotate(n=Count("id"), submitted=Max("submitted_at"), changed=Max("updated_at"))
        .order_by("department", "role")
    )
    state = repr((round.pk, round.opened_at.isoformat(), anonymity_threshold(round), rows))
    key = "scoring:round:" + hashlib.sha256(state.encode()).hexdigest()
    aggregates = cache.get(key)
    if aggregates is None:
        aggregates = (round_cells(round), score_histogram(round))
        cache.set(key, aggregates, CACHE_SECONDS)
    answered = {(d, r): n for d, r, n, _, _ in rows}
    return RoundRows(answered=answered, cells=aggregates[0], scores=aggregates[1])


def round_cells(round: Round) -> list[Cell]:
    """One row per department, role and statement of the counted answers of a round.

    At most 2 x 2 x 20 rows whatever the number of respondents: the database does the
    counting and summing (GROUP BY department, role, statement), including SUM(rating^2)
    for the spread of each statement.
    """
    rows = (
        Answer.objects.filter(respondent__in=counted_respondents(round).values("id"))
        .values_list("respondent__department", "respondent__role", "statement")
        .annotate(
            respondents=Count("id"),
            rating_sum=Sum("rating"),
            rating_squares=Sum(F("rating") * F("rating")),
        )
        .order_by()
    )
    return [
        Cell(department=d, role=r, statement=s, respondents=n, rating_sum=total, rating_squares=sq)
        for d, r, s, n, total, sq in rows
    ]


def score_histogram(round: Round) -> list[ScoreCount]:
    """How many counted respondents have each score: GROUP BY department, role, score.

    At most 2 x 2 x 81 rows. A respondent's score is a correlated SUM over their answers.
    """
    score = Subquery(
        Answer.objects.filter(respondent=OuterRef("pk"))
        .values("respondent")
        .annotate(total=Sum("rating"))
        .values("total"),
        output_field=IntegerField(),
    )
    rows = (
        Respondent.objects.filter(pk__in=counted_respondents(round).values("id"))
        .annotate(score=score)
        .values_list("department", "role", "score")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [ScoreCount(department=d, role=r, score=s, respondents=n) for d, r, s, n in rows]
