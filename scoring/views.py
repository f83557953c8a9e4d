from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from scoring.core import score_round
from scoring.presenters import dashboard_context
from scoring.queries import round_cells
from survey.access import member_round_or_404


@require_GET
@login_required
def dashboard(request: HttpRequest, round_id: int) -> HttpResponse:
    round = member_round_or_404(request.user, round_id)
    result = score_round(round_cells(round), round.anonymity_threshold)
    return render(request, "scoring/dashboard.html", dashboard_context(round, result))
