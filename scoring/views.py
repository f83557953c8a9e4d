from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from scoring.core import score_round
from scoring.figures import chart_context
from scoring.insights import round_insights
from scoring.presenters import dashboard_context
from scoring.queries import anonymity_threshold, answered_counts, round_cells, score_histogram
from survey.access import member_round_or_404


@require_GET
@login_required
def dashboard(request: HttpRequest, round_id: int) -> HttpResponse:
    round = member_round_or_404(request.user, round_id)
    threshold = anonymity_threshold(round)
    cells = round_cells(round)
    result = score_round(cells, threshold)
    insights = round_insights(cells, score_histogram(round), threshold)
    context = dashboard_context(round, result, insights, answered_counts(round))
    return render(request, "scoring/dashboard.html", context | chart_context(result, insights))
