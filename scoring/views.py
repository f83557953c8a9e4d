from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from scoring.core import score_round
from scoring.figures import chart_context
from scoring.insight_context import insights_context
from scoring.insights import round_insights
from scoring.presenters import dashboard_context
from scoring.published import published
from scoring.voices import voices_context
from survey.access import member_round_or_404
from survey.tracking import round_tracking


@require_GET
@login_required
def dashboard(request: HttpRequest, round_id: int) -> HttpResponse:
    """A closed round's published results; an open round's response rates."""
    survey_round = member_round_or_404(request.user, round_id)
    result = published(survey_round)
    if result is None:
        context = {"round": survey_round, "tracking": round_tracking(survey_round)}
        return render(request, "scoring/open_round.html", context)
    score = score_round(result.cells, result.threshold)
    insights = round_insights(result.cells, result.scores, result.threshold)
    context = (
        dashboard_context(survey_round, score, insights, result)
        | chart_context(score, insights)
        | insights_context(survey_round, score)
        | voices_context(result, score)
    )
    return render(request, "scoring/dashboard.html", context)
