"""A round's participants list and what a leader can do from it: resend an invitation,
correct a mistyped address, remove someone added by mistake; and a preview of the
invitation e-mail. Nothing here reads or depends on whether anyone answered."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from survey.models import Department, Respondent, Role, Round
from survey.reads.participant_list import participant_list
from survey.workspace.access import member_participant_or_404, member_round_or_404
from survey.workspace.participant_forms import CorrectEmailForm, ParticipantFilterForm
from survey.workspace.rounds import base_url
from survey.writes import participants
from survey.writes.emails import survey_message, survey_url

# A link of the right shape that opens nothing, so the preview is built exactly as a real
# invitation is; the page shows PREVIEW_LINK in its place.
PREVIEW_TOKEN = "preview" + "0" * 25
PREVIEW_LINK = "https://…/s/…/"


def back_to_list(survey_round: Round) -> HttpResponse:
    return redirect("workspace:participants", round_id=survey_round.pk)


def closed_round(request: HttpRequest, survey_round: Round) -> HttpResponse:
    messages.error(request, _("This round is closed: its participants can no longer change."))
    return back_to_list(survey_round)


@require_GET
@login_required
def participant_list_page(request: HttpRequest, round_id: int) -> HttpResponse:
    survey_round = member_round_or_404(request.user, round_id, to_change=True)
    form = ParticipantFilterForm(request.GET)
    criteria = form.cleaned_data if form.is_valid() else {}
    listing = participant_list(
        survey_round=survey_round,
        department=criteria.get("department", ""),
        text=criteria.get("q", "").strip(),
    )
    context = {
        "round": survey_round,
        "form": form,
        "listing": listing,
        "filtered": bool(criteria.get("department") or criteria.get("q", "").strip()),
    }
    return render(request, "survey/workspace/participants.html", context)


@require_POST
@login_required
def resend(request: HttpRequest, round_id: int, respondent_id: int) -> HttpResponse:
    respondent = member_participant_or_404(request.user, round_id, respondent_id)
    try:
        participants.resend_invitation(
            respondent=respondent, actor=request.user, base_url=base_url(request)
        )
    except participants.NotInvitable:
        return closed_or_removed(request, respondent)
    messages.success(
        request,
        _("A new invitation is on its way to %(email)s. Their earlier links keep working.")
        % {"email": respondent.email},
    )
    return back_to_list(respondent.round)


def closed_or_removed(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    if not respondent.round.is_open:
        return closed_round(request, respondent.round)
    messages.error(
        request, _("%(email)s was removed from this round.") % {"email": respondent.email}
    )
    return back_to_list(respondent.round)


@require_http_methods(["GET", "POST"])
@login_required
def correct_email(request: HttpRequest, round_id: int, respondent_id: int) -> HttpResponse:
    respondent = member_participant_or_404(request.user, round_id, respondent_id)
    if respondent.removed_at or not respondent.round.is_open:
        return closed_or_removed(request, respondent)
    form = CorrectEmailForm(request.POST or None, current=respondent.email)
    if request.method == "POST" and form.is_valid():
        try:
            new = participants.correct_email(
                respondent=respondent,
                email=form.cleaned_data["email"],
                actor=request.user,
                base_url=base_url(request),
            )
        except participants.AlreadyInvited:
            form.add_error("email", _("Someone in this round already has this address."))
        except participants.NotInvitable:
            return closed_or_removed(request, respondent)
        else:
            messages.success(
                request,
                _("%(new)s is invited with a new link. The links sent to %(old)s no longer work.")
                % {"new": new.email, "old": respondent.email},
            )
            return back_to_list(respondent.round)
    context = {"round": respondent.round, "person": respondent, "form": form}
    status = 400 if form.errors else 200
    return render(request, "survey/workspace/participant_email.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def remove(request: HttpRequest, round_id: int, respondent_id: int) -> HttpResponse:
    respondent = member_participant_or_404(request.user, round_id, respondent_id)
    if respondent.removed_at or not respondent.round.is_open:
        return closed_or_removed(request, respondent)
    if request.method == "POST":
        participants.remove_respondent(respondent=respondent, actor=request.user)
        messages.success(
            request,
            _("%(email)s was removed from this round: their links no longer work.")
            % {"email": respondent.email},
        )
        return back_to_list(respondent.round)
    context = {"round": respondent.round, "person": respondent}
    return render(request, "survey/workspace/participant_remove.html", context)


@require_GET
@login_required
def invitation_preview(request: HttpRequest, round_id: int) -> HttpResponse:
    """The invitation as each language's reader gets it, built by the code that builds the
    real one, for a sample person and a link that opens nothing."""
    survey_round = member_round_or_404(request.user, round_id, to_change=True)
    placeholder = survey_url(base_url(request), PREVIEW_TOKEN)
    previews = []
    for code, language in settings.LANGUAGES:
        with translation.override(code):
            name = _("Alex Sample")
        sample = Respondent(
            round=survey_round,
            name=name,
            email="alex@example.com",
            department=Department.SALES,
            role=Role.STAFF,
            language=code,
        )
        message = survey_message(respondent=sample, token=PREVIEW_TOKEN, base_url=base_url(request))
        previews.append(
            {
                "code": code,
                "language": language,
                "subject": message.subject,
                "body": message.body.replace(placeholder, PREVIEW_LINK).strip(),
            }
        )
    context = {"round": survey_round, "previews": previews}
    return render(request, "survey/workspace/invitation_preview.html", context)
