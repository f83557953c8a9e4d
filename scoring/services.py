"""The write paths of the insights: the guide's decision and the workshop's agreements."""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring import guide
from scoring.core import RelationshipType
from scoring.models import MoveDecision, PlannedAction, WorkshopAgreement
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


@transaction.atomic
def record_agreement(
    *, survey_round: Round, statement: int, text: str, user: AbstractBaseUser
) -> WorkshopAgreement | None:
    """Save what the room agrees about `statement` in the round's workshop.

    Blank text removes the agreement (and returns None); the plan action it may already
    have become stays in the plan. ValueError for a statement outside 1..20 or an open round.
    """
    if not 1 <= statement <= 20:
        raise ValueError(f"no statement {statement!r}")
    if survey_round.closed_at is None:
        raise ValueError("the workshop opens when the round is closed")
    text = text.strip()
    if not text:
        WorkshopAgreement.objects.filter(round=survey_round, statement=statement).delete()
        return None
    agreement, _created = WorkshopAgreement.objects.update_or_create(
        round=survey_round, statement=statement, defaults={"text": text, "updated_by": user}
    )
    return agreement


TITLE_LENGTH = PlannedAction._meta.get_field("title").max_length or 200


@transaction.atomic
def agreement_to_action(*, agreement: WorkshopAgreement) -> PlannedAction:
    """Turn an agreement into an action of the company's plan, once: a second call returns
    the action the first one made. The title is the agreement's first line, shortened to
    fit; the notes keep the whole text and the statement it came from."""
    agreement = WorkshopAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.action is not None:
        return agreement.action
    first_line = agreement.text.splitlines()[0].strip()
    title = first_line if len(first_line) <= TITLE_LENGTH else first_line[: TITLE_LENGTH - 1] + "…"
    survey_round = agreement.round
    action = PlannedAction.objects.create(
        company_id=survey_round.company_id,
        round=survey_round,
        title=title,
        notes=_("Agreed in the workshop on statement %(number)s:") % {"number": agreement.statement}
        + "\n"
        + agreement.text,
    )
    agreement.action = action
    agreement.save(update_fields=["action"])
    return action
