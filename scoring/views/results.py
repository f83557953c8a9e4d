"""The results pages of a round: the overview and its tabs, each on its own URL.

Thin: find the round the user may see, read its published results (scoring.results.published),
hand them to the page's presenter (scoring.pages.tabs), render. An open round has no results:
its overview shows the response rates and the close date, and the other tabs lead there.
"""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from scoring.pages import tabs
from scoring.pages.presenters import Context
from scoring.pages.voices import voices_context
from scoring.results.history import published_until
from scoring.results.published import RoundResults, results_of
from scoring.results.reads import actions_of, decision_of
from scoring.views.access import LeaderRequest, round_or_404
from survey.reads.tracking import round_tracking


@require_GET
@login_required
def dashboard(request: LeaderRequest, round_id: int) -> HttpResponse:
    """A closed round's overview; an open round's response rates."""
    survey_round = round_or_404(request, round_id)
    results = results_of(survey_round)
    if results is None:
        context = {"round": survey_round, "tracking": round_tracking(survey_round)}
        return render(request, "scoring/open_round.html", context)
    context = tabs.overview(results, decision_of(survey_round), actions_of(survey_round))
    context |= voices_context(results.published, results.score)
    return render(request, "scoring/dashboard.html", context)


def _tab(
    template: str, present: Callable[[RoundResults], Context]
) -> Callable[[LeaderRequest, int], HttpResponse]:
    @require_GET
    @login_required
    def view(request: LeaderRequest, round_id: int) -> HttpResponse:
        survey_round = round_or_404(request, round_id)
        results = results_of(survey_round)
        if results is None:
            return redirect("scoring:dashboard", round_id=survey_round.pk)
        return render(request, template, present(results))

    return view


statements = _tab(
    "scoring/statements.html",
    lambda r: tabs.statements(r) | voices_context(r.published, r.score),
)
groups = _tab("scoring/groups.html", tabs.groups)
spread = _tab("scoring/spread.html", tabs.spread)
trends = _tab("scoring/trends.html", lambda r: tabs.trends(r, published_until(r.round)))
downloads = _tab("scoring/downloads.html", tabs.downloads)
