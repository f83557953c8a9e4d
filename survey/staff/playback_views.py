"""The company's published results, as everyone invited reads them once the round closes.

Shown at the person's own survey address (/s/r/<key>/) and wherever a personal link to a
closed round leads, in every browser alike: the page is the same for everyone invited,
answered or not, so it says nothing about anyone.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scoring.pages.playback import staff_summary
from scoring.results.published import results_of
from survey.models import Respondent, Round
from survey.writes.playback import message_of


def summary(
    request: HttpRequest, respondent: Respondent, refused: dict[str, bool] | None = None
) -> HttpResponse:
    """The read-only summary of the respondent's closed round; `refused`: answers posted
    after the close, which the page says were not saved ({"earlier": answers sent before
    the close are kept})."""
    # Read again: the round may have closed since the respondent's row was read.
    survey_round = Round.objects.select_related("company").get(pk=respondent.round_id)
    results = results_of(survey_round)
    if results is None:
        raise ValueError(f"round {survey_round.pk} is open: it has no results to show")
    context = staff_summary(results) | {"heads_message": message_of(survey_round)}
    context["refused"] = refused
    # Answers posted to a closed round are refused (410), and the results shown instead.
    status = 410 if request.method == "POST" else 200
    return render(request, "survey/results.html", context, status=status)
