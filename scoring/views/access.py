from django.contrib.auth.models import User
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from scoring.models import PlannedAction
from survey.models import Round
from survey.workspace.access import member_round_or_404


def planned_action_or_404(round: Round, action_id: int) -> PlannedAction:
    """An action of the round's company; another company's action is a 404."""
    return get_object_or_404(PlannedAction, pk=action_id, company_id=round.company_id)


class LeaderRequest(HttpRequest):
    """A request that login_required let through, so its user is signed in (for mypy)."""

    user: User


SAFE_METHODS = ("GET", "HEAD")


def round_or_404(request: HttpRequest, round_id: int, *, to_change: bool = False) -> Round:
    """The round of a results, guide or plan page, found through the user's memberships
    (another company's round is a 404). The one rule of the results side: any POST
    changes something, and so does a page whose form does (`to_change`): a viewer is
    refused those with a 403 that says why (survey.workspace.access.refuse_viewer)."""
    changes = to_change or request.method not in SAFE_METHODS
    return member_round_or_404(request.user, round_id, to_change=changes)
