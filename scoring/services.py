"""The write paths of the insights: the guide's decision."""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from scoring import guide
from scoring.core import RelationshipType
from scoring.models import MoveDecision
from survey.models import Round


@transaction.atomic
def record_decision(
    *, round: Round, current: RelationshipType, ticked: Iterable[str], user: AbstractBaseUser
) -> MoveDecision:
    """Store which conditions hold for the round's current type, and the rule's answer.

    Keys that are not conditions of `current` are dropped, so a stale form cannot store them.
    """
    kept = [c.key for c in guide.ticked_conditions(current, ticked)]
    decision, _ = MoveDecision.objects.update_or_create(
        round=round,
        defaults={
            "relationship_type": current.value,
            "ticked": kept,
            "recommendation": guide.verdict(current, kept).recommendation.value,
            "decided_by": user,
            "decided_at": timezone.now(),
        },
    )
    return decision
