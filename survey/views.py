from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from scoring.core import relationship_type, respondent_score
from scoring.labels import TYPE_DESCRIPTIONS, TYPE_NAMES
from survey.forms import AnswersForm
from survey.models import Respondent, Round, hash_token
from survey.services import RoundClosed, submit_answers
from survey.statements import SCALE, STATEMENTS

MINUTES_TO_ANSWER = 5


def respondent_for_token(request: HttpRequest, token: str) -> Respondent:
    """The respondent behind a personal link, speaking their language unless they chose one."""
    respondent = (
        Respondent.objects.select_related("round__company")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if respondent is None:
        raise Http404("unknown survey link")
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(respondent.language)
        request.LANGUAGE_CODE = respondent.language
    return respondent


def statement_items(ratings: dict[int, int], missing: set[int]) -> list[dict]:
    return [
        {"number": n, "text": str(text), "rating": ratings.get(n), "missing": n in missing}
        for n, text in STATEMENTS.items()
    ]


@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    respondent = respondent_for_token(request, token)
    if not respondent.round.is_open:
        return render(request, "survey/closed.html", {"respondent": respondent})

    missing: set[int] = set()
    if request.method == "POST":
        form = AnswersForm(request.POST)
        if form.is_valid():
            try:
                submit_answers(respondent=respondent, ratings=form.ratings())
            except RoundClosed:
                return render(request, "survey/closed.html", {"respondent": respondent})
            return redirect("survey:thanks", token=token)
        ratings = form.given_ratings()
        missing = set(STATEMENTS) - set(ratings)
    elif respondent.submitted_at:
        ratings = dict(respondent.answers.values_list("statement", "rating"))
    else:
        ratings = {}

    context = {
        "respondent": respondent,
        "items": statement_items(ratings, missing),
        "missing": sorted(missing),
        "scale": [(value, str(label)) for value, label in SCALE],
        "minutes": MINUTES_TO_ANSWER,
        "threshold": respondent.round.company.anonymity_threshold,
    }
    return render(request, "survey/respond.html", context, status=400 if missing else 200)


@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    respondent = respondent_for_token(request, token)
    ratings = list(respondent.answers.values_list("rating", flat=True))
    if len(ratings) != len(STATEMENTS):
        return redirect("survey:respond", token=token)
    score = respondent_score(ratings)
    kind = relationship_type(score)
    context = {
        "respondent": respondent,
        "score": score,
        "type_name": TYPE_NAMES[kind],
        "type_description": TYPE_DESCRIPTIONS[kind],
        "token": token,
    }
    return render(request, "survey/thanks.html", context)


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    answered = Count("respondents", filter=Q(respondents__submitted_at__isnull=False))
    rounds = Prefetch("rounds", queryset=Round.objects.annotate(answered=answered))
    companies = request.user.companies.prefetch_related(rounds)
    return render(request, "home.html", {"companies": companies})
