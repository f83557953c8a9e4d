"""The leaders' own records of a round, read for its pages: the decision on "do we need to
move?", the action plan and its owners and progress, the workshop's agreements, the two
heads, and the company's members to choose from. Presenters and views get these handed in;
they never query."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from scoring.core.scores import RelationshipType
from scoring.models import (
    ActionOwner,
    ActionProgress,
    MoveDecision,
    PlannedAction,
    RoundHead,
    WorkshopAgreement,
)
from survey.models import Round


def decision_of(survey_round: Round) -> MoveDecision | None:
    """The leaders' last answers to "do we need to move?" for this round, if any."""
    return MoveDecision.objects.filter(round=survey_round).select_related("decided_by").first()


def actions_of(survey_round: Round) -> list[PlannedAction]:
    """This round's actions, and the open ones of earlier rounds carried over (unordered)."""
    return list(
        PlannedAction.objects.filter(company_id=survey_round.company_id)
        .filter(
            Q(round=survey_round)
            | Q(round__opened_at__lt=survey_round.opened_at) & ~Q(status=PlannedAction.Status.DONE)
        )
        .select_related("round")
    )


def decision_for(survey_round: Round, kind: RelationshipType) -> MoveDecision | None:
    """The leaders' answers for the round when they started from `kind`, if any."""
    return MoveDecision.objects.filter(round=survey_round, relationship_type=kind.value).first()


def agreements_of(survey_round: Round) -> dict[int, WorkshopAgreement]:
    """What the workshop agreed, by statement number."""
    agreements = WorkshopAgreement.objects.filter(round=survey_round).select_related("action")
    return {a.statement: a for a in agreements}


def heads_of(survey_round: Round) -> dict[str, RoundHead]:
    """The round's two heads, by department (none until they are chosen)."""
    return {
        h.department: h for h in RoundHead.objects.filter(round=survey_round).select_related("user")
    }


def members_of(survey_round: Round) -> QuerySet[User]:
    """The accounts of the round's company, to choose heads and owners from: never its
    viewers, who read and change nothing (a head answers, an owner updates the plan)."""
    return (
        get_user_model()
        .objects.filter(memberships__company_id=survey_round.company_id)
        .exclude(memberships__company_id=survey_round.company_id, memberships__role="viewer")
        .order_by("email", "username")
    )


def owners_of(action: PlannedAction) -> dict[str, ActionOwner]:
    """The action's owners, by department."""
    return {o.department: o for o in action.owners.select_related("user")}


def progress_of(action: PlannedAction) -> QuerySet[ActionProgress]:
    """The action's progress notes with their authors."""
    return action.progress.select_related("author")
