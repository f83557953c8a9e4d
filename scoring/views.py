from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from scoring.core import score_round
from scoring.figures import chart_context
from scoring.insight_context import insights_context
from scoring.insights import round_insights
from scoring.presenters import dashboard_context
from scoring.queries import anonymity_threshold, round_rows
from survey.access import member_round_or_404


@require_GET
@login_required
def dashboard(request: HttpRequest, round_id: int) -> HttpResponse:
    round = member_round_or_404(request.user, round_id)
    threshold = anonymity_threshold(round)
    rows = round_rows(round)
    result = score_round(rows.cells, threshold)
    insights = round_insights(rows.cells, rows.scores, threshold)
    context = (
        dashboard_context(round, result, insights, rows.answered, rows.pending)
        | chart_context(result, insights)
        | insights_context(round, result)
    )
    return render(request, "scoring/dashboard.html", context)
