"""The page every browser sees for a survey a leader withdrew (survey.writes.participants)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from survey.models import Respondent


def withdrawn(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    """The same page whoever asks and whatever the person did: it never says whether
    they started or answered the survey."""
    context = {"company": respondent.round.company.name, "title": respondent.round.title}
    return render(request, "survey/withdrawn.html", context, status=410)
