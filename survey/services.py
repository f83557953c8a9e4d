from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from survey.models import Answer, Respondent
from survey.statements import STATEMENTS


class RoundClosed(Exception):
    """The round closed before the answers arrived."""


@transaction.atomic
def submit_answers(*, respondent: Respondent, ratings: Mapping[int, int]) -> Respondent:
    """Store a complete answer set for one respondent, replacing any earlier one.

    The respondent row is locked first, so two posts of the same link at the same moment
    run one after the other; the upsert on (respondent, statement) means the second simply
    overwrites the first and there is never a second answer set.
    """
    if set(ratings) != set(STATEMENTS):
        raise ValueError("a submission needs a rating for every statement")
    locked = (
        Respondent.objects.select_for_update(of=("self",))
        .select_related("round")
        .get(pk=respondent.pk)
    )
    if not locked.round.is_open:
        raise RoundClosed
    Answer.objects.bulk_create(
        [Answer(respondent=locked, statement=n, rating=r) for n, r in ratings.items()],
        update_conflicts=True,
        unique_fields=["respondent", "statement"],
        update_fields=["rating"],
    )
    now = timezone.now()
    locked.submitted_at = locked.submitted_at or now
    locked.updated_at = now
    locked.save(update_fields=["submitted_at", "updated_at"])
    return locked
