"""The workshop of a closed round: the slides, what the room agrees, agreements into actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scoring.core.scores import STATEMENT_COUNT
from scoring.models import WorkshopAgreement
from scoring.pages.presenters import Context
from scoring.pages.workshop import workshop_context
from scoring.results.published import published
from scoring.results.reads import agreements_of
from scoring.results.services import agreement_to_action, record_agreement
from scoring.views.access import LeaderRequest, round_or_404

AGREEMENT_LENGTH = 2000


def slide_url(round_id: int, slide_id: str) -> str:
    return f"{reverse('scoring:workshop', kwargs={'round_id': round_id})}#{slide_id}"


@require_GET
@login_required
def workshop(request: LeaderRequest, round_id: int) -> HttpResponse:
    survey_round = round_or_404(request, round_id)
    result = published(survey_round)
    context: Context = {"round": survey_round}
    if result is not None:
        score = result.score
        context |= workshop_context(result, score, agreements_of(survey_round))
    return render(request, "scoring/workshop.html", context)


@require_POST
@login_required
def workshop_agree(request: LeaderRequest, round_id: int, statement: int) -> HttpResponse:
    survey_round = round_or_404(request, round_id)
    if survey_round.closed_at is None or not 1 <= statement <= STATEMENT_COUNT:
        raise Http404
    text = request.POST.get("text", "")
    if len(text) > AGREEMENT_LENGTH:
        messages.error(
            request,
            _("An agreement can be at most %(n)s characters long.") % {"n": AGREEMENT_LENGTH},
        )
    else:
        saved = record_agreement(
            survey_round=survey_round, statement=statement, text=text, user=request.user
        )
        if saved is None:
            messages.info(
                request, _("The agreement on statement %(n)s is removed.") % {"n": statement}
            )
        else:
            messages.success(
                request, _("The agreement on statement %(n)s is saved.") % {"n": statement}
            )
    return redirect(slide_url(survey_round.pk, f"slide-statement-{statement}"))


@require_POST
@login_required
def workshop_action(request: LeaderRequest, round_id: int, agreement_id: int) -> HttpResponse:
    survey_round = round_or_404(request, round_id)
    agreement = get_object_or_404(WorkshopAgreement, pk=agreement_id, round=survey_round)
    action = agreement_to_action(agreement=agreement)
    messages.success(request, _("“%(title)s” is in the plan.") % {"title": action.display_title})
    return redirect(slide_url(survey_round.pk, "slide-closing"))
