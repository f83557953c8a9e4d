"""One planned action: its two owners, its statements, and its progress log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from scoring.models import ActionOwner, PlannedAction
from scoring.pages.action_gaps import action_statements, gaps_of
from scoring.pages.presenters import Context
from scoring.results.reads import members_of, owners_of, progress_of
from scoring.results.services import OwnerChoice, assign_owners, log_progress
from scoring.views.access import LeaderRequest, planned_action_or_404, round_or_404
from scoring.views.forms import OwnersForm
from survey.core.statements import STATEMENTS
from survey.workspace.rounds import base_url


def linked_statements(action: PlannedAction) -> list[Context]:
    """The statements the product suggests the action works on."""
    return [{"number": n, "text": STATEMENTS[n]} for n in action_statements(action)]


def owners_initial(owners: dict[str, ActionOwner]) -> dict[str, object]:
    initial: dict[str, object] = {}
    for key, _label in OwnersForm.DEPARTMENTS:
        owner = owners.get(key)
        initial[f"{key}_language"] = owner.language if owner else translation.get_language()
        if owner is not None:
            initial |= {
                f"{key}_member": owner.user,
                f"{key}_name": owner.name,
                f"{key}_email": owner.email,
            }
    return initial


@require_http_methods(["GET", "POST"])
@login_required
def action_page(request: LeaderRequest, round_id: int, action_id: int) -> HttpResponse:
    survey_round = round_or_404(request, round_id)
    action = planned_action_or_404(survey_round, action_id)
    owners = owners_of(action)
    members = members_of(survey_round)
    posted = request.POST if request.method == "POST" else None
    form = OwnersForm(
        posted if posted and posted.get("form") == "owners" else None,
        members=members,
        initial=owners_initial(owners),
    )
    if posted and posted.get("form") == "owners" and form.is_valid():
        data = form.cleaned_data
        assign_owners(
            action=action,
            owners=[
                OwnerChoice(
                    department=key,
                    user=data[f"{key}_member"],
                    name=data[f"{key}_name"],
                    email=data[f"{key}_email"],
                    language=data[f"{key}_language"],
                )
                for key, _label in OwnersForm.DEPARTMENTS
            ],
            base_url=base_url(request),
        )
        messages.success(request, _("The owners are saved; anyone newly assigned is emailed."))
        return redirect("scoring:action", round_id=survey_round.pk, action_id=action.pk)
    if posted and posted.get("form") == "progress":
        try:
            log_progress(action=action, text=posted.get("text", ""), author=request.user)
            messages.success(request, _("The progress note is added."))
        except ValueError:
            messages.error(request, _("Write what has happened first."))
        return redirect("scoring:action", round_id=survey_round.pk, action_id=action.pk)
    context = {
        "round": survey_round,
        "action": action,
        "owners": [owners.get(key) for key, _label in OwnersForm.DEPARTMENTS],
        "form": form,
        "statements": linked_statements(action),
        "gaps": gaps_of(action, survey_round),
        "progress": progress_of(action),
    }
    return render(request, "scoring/action.html", context)
