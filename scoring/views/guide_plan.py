"""The leaders' insight pages: the decision guide and the action plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.advice import guide
from scoring.advice.labels import TYPE_DESCRIPTIONS
from scoring.advice.playbook import ACTIONS_BY_KEY
from scoring.core.scores import RoundScore, score_round
from scoring.models import PlannedAction
from scoring.pages.action_gaps import gaps_in
from scoring.pages.guide_plan import guide_summary, ordered_actions, playbook_context
from scoring.results.published import published
from scoring.results.reads import actions_of, decision_for, decision_of
from scoring.results.services import (
    delete_action,
    record_decision,
    save_action,
    set_action_status,
)
from scoring.views.access import LeaderRequest, planned_action_or_404, round_or_404
from scoring.views.forms import GuideForm, PlannedActionForm
from survey.models import Round


def round_result(survey_round: Round) -> RoundScore:
    """The published figures of a closed round; nothing yet for an open one."""
    result = published(survey_round)
    if result is None:
        return score_round([], survey_round.anonymity_threshold)
    return result.score


def guide_form(request: HttpRequest, round: Round, result: RoundScore) -> GuideForm | None:
    """The checkboxes of the current type, ticked as last saved; None when there are none."""
    current = result.guide_type
    if current is None or not guide.CONDITIONS[current]:
        return None
    decision = decision_for(round, current)
    ticked = set(decision.ticked) if decision else set()
    initial = {
        kind: [c.key for c in guide.conditions(current, kind) if c.key in ticked]
        for kind in (guide.STAY, guide.MOVE)
    }
    data = request.POST if request.method == "POST" else None
    return GuideForm(data, current=current, initial=initial)


@require_http_methods(["GET", "POST"])
@login_required
def guide_page(request: LeaderRequest, round_id: int) -> HttpResponse:
    round = round_or_404(request, round_id)
    result = round_result(round)
    form = guide_form(request, round, result)
    if request.method == "POST":
        if form is None:
            messages.error(request, _("There is nothing to decide for this round yet."))
            return redirect("scoring:guide", round_id=round.pk)
        if form.is_valid():
            current = result.guide_type
            assert current is not None
            record_decision(round=round, current=current, ticked=form.ticked(), user=request.user)
            messages.success(request, _("Your answers are saved and the recommendation updated."))
            return redirect("scoring:guide", round_id=round.pk)
    current = result.guide_type
    context = {
        "round": round,
        "guide": guide_summary(result, decision_of(round)),
        "form": form,
        "type_description": TYPE_DESCRIPTIONS[current] if current else None,
        "threshold": result.threshold,
    }
    return render(request, "scoring/guide.html", context)


@require_GET
@login_required
def plan(request: LeaderRequest, round_id: int) -> HttpResponse:
    round = round_or_404(request, round_id)
    result = round_result(round)
    actions = ordered_actions(actions_of(round))
    context = {
        "round": round,
        "actions": actions,
        "guide": guide_summary(result, decision_of(round)),
        "statuses": PlannedAction.Status,
        "threshold": result.threshold,
        "action_gaps": gaps_in(round),
        **playbook_context(result, actions),
    }
    return render(request, "scoring/plan.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan_add(request: LeaderRequest, round_id: int) -> HttpResponse:
    round = round_or_404(request, round_id, to_change=True)
    key = request.GET.get("playbook", "")
    initial = {"playbook_key": key} if key in ACTIONS_BY_KEY else {}
    form = PlannedActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        action = save_action(action=form.save(commit=False), survey_round=round)
        messages.success(
            request, _("“%(title)s” is in the plan.") % {"title": action.display_title}
        )
        return redirect("scoring:plan", round_id=round.pk)
    return render(request, "scoring/plan_form.html", {"round": round, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def plan_edit(request: LeaderRequest, round_id: int, action_id: int) -> HttpResponse:
    round = round_or_404(request, round_id, to_change=True)
    action = planned_action_or_404(round, action_id)
    form = PlannedActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        save_action(action=form.save(commit=False))
        messages.success(request, _("“%(title)s” is updated.") % {"title": action.display_title})
        return redirect("scoring:plan", round_id=round.pk)
    context = {"round": round, "form": form, "action": action}
    return render(request, "scoring/plan_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan_delete(request: LeaderRequest, round_id: int, action_id: int) -> HttpResponse:
    round = round_or_404(request, round_id, to_change=True)
    action = planned_action_or_404(round, action_id)
    if request.method == "POST":
        delete_action(action=action)
        messages.success(
            request, _("“%(title)s” is removed from the plan.") % {"title": action.display_title}
        )
        return redirect("scoring:plan", round_id=round.pk)
    return render(request, "scoring/plan_delete.html", {"round": round, "action": action})


@require_POST
@login_required
def plan_status(request: LeaderRequest, round_id: int, action_id: int) -> HttpResponse:
    round = round_or_404(request, round_id)
    action = planned_action_or_404(round, action_id)
    try:
        set_action_status(action=action, status=request.POST.get("status", ""))
    except ValueError:
        messages.error(request, _("That status does not exist."))
    else:
        messages.success(
            request,
            _("“%(title)s” is now: %(status)s.")
            % {"title": action.display_title, "status": action.get_status_display()},
        )
    return redirect("scoring:plan", round_id=round.pk)
