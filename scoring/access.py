from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404

from scoring.models import PlannedAction
from survey.models import Membership, Round

# Who may read the insights, plan actions and download the answers of a company's rounds.
LEADER_ROLES = [Membership.Role.OWNER, Membership.Role.MANAGER]


def leader_round_or_404(user: AbstractBaseUser | AnonymousUser, round_id: int) -> Round:
    """A round of a company where the user is an owner or a manager; any other is a 404."""
    return get_object_or_404(
        Round.objects.select_related("company"),
        pk=round_id,
        company__memberships__user=user,
        company__memberships__role__in=LEADER_ROLES,
    )


def planned_action_or_404(round: Round, action_id: int) -> PlannedAction:
    """An action of the round's company; another company's action is a 404."""
    return get_object_or_404(PlannedAction, pk=action_id, company_id=round.company_id)
