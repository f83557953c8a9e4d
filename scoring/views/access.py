from django.contrib.auth.models import User
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from scoring.models import PlannedAction
from survey.models import Round


def planned_action_or_404(round: Round, action_id: int) -> PlannedAction:
    """An action of the round's company; another company's action is a 404."""
    return get_object_or_404(PlannedAction, pk=action_id, company_id=round.company_id)


class LeaderRequest(HttpRequest):
    """A request that login_required let through, so its user is signed in (for mypy)."""

    user: User
