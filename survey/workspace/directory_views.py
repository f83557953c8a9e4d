"""Invite everyone in the company's directory to a round (the round page's invite section).
From then until the close, joiners of the directory are invited too, and people it
deprovisions are removed (survey.identity.directory)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from survey.identity import directory
from survey.workspace.access import member_round_or_404


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_POST
@login_required
def invite_directory(request: HttpRequest, round_id: int) -> HttpResponse:
    survey_round = member_round_or_404(request.user, round_id, to_change=True)
    if not survey_round.is_open:
        messages.error(request, _("This round is closed: nobody more can be invited."))
        return redirect("workspace:round", round_id=survey_round.pk)
    added = directory.invite_directory(
        survey_round=survey_round, actor=request.user, base_url=base_url(request)
    )
    messages.success(
        request,
        ngettext(
            "%(count)d person of the directory was invited by email. People who join the "
            "directory will be invited until the round closes.",
            "%(count)d people of the directory were invited by email. People who join the "
            "directory will be invited until the round closes.",
            added.new,
        )
        % {"count": added.new},
    )
    return redirect("workspace:round", round_id=survey_round.pk)
