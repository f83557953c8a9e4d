from django.shortcuts import get_object_or_404

from scoring.models import PlannedAction
from survey.models import Round


def planned_action_or_404(round: Round, action_id: int) -> PlannedAction:
    """An action of the round's company; another company's action is a 404."""
    return get_object_or_404(PlannedAction, pk=action_id, company_id=round.company_id)
