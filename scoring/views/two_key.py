"""The two-key guide: each head answers on their own, then both answers side by side."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from scoring.pages.presenters import Context
from scoring.pages.two_key import two_key_context
from scoring.results.published import published
from scoring.results.reads import heads_of, members_of
from scoring.results.services import choose_heads, record_head_answer
from scoring.views.access import LeaderRequest, round_or_404
from scoring.views.forms import HeadsForm


@require_http_methods(["GET", "POST"])
@login_required
def two_key(request: LeaderRequest, round_id: int) -> HttpResponse:
    survey_round = round_or_404(request, round_id)
    result = published(survey_round)
    context: Context = {"round": survey_round, "closed": result is not None}
    if result is None:
        return render(request, "scoring/two_key.html", context)
    score = result.score
    context |= two_key_context(score, heads_of(survey_round), request.user.pk) | {
        "threshold": result.threshold
    }
    if request.method == "POST":
        if context["mine"] is None or not context["types"]:
            messages.error(request, _("Only the two heads chosen for this round answer here."))
        else:
            record_head_answer(
                survey_round=survey_round,
                user=request.user,
                types=context["types"],
                ticked=request.POST.getlist("ticked"),
            )
            messages.success(request, _("Your answers are saved."))
        return redirect("scoring:two_key", round_id=survey_round.pk)
    return render(request, "scoring/two_key.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def two_key_heads(request: LeaderRequest, round_id: int) -> HttpResponse:
    survey_round = round_or_404(request, round_id, to_change=True)
    members = members_of(survey_round)
    current = {department: h.user for department, h in heads_of(survey_round).items()}
    initial = {"sales_head": current.get("sales"), "marketing_head": current.get("marketing")}
    form = HeadsForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        choose_heads(
            survey_round=survey_round,
            sales_head=form.cleaned_data["sales_head"],
            marketing_head=form.cleaned_data["marketing_head"],
        )
        messages.success(request, _("The two heads are chosen. Each answers on their own."))
        return redirect("scoring:two_key", round_id=survey_round.pk)
    return render(request, "scoring/two_key_heads.html", {"round": survey_round, "form": form})
