from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from scoring.core import relationship_type, respondent_score
from scoring.labels import TYPE_DESCRIPTIONS, TYPE_NAMES
from survey.forms import AnswersForm
from survey.models import Respondent, hash_token
from survey.services import RoundClosed, submit_answers
from survey.statements import SCALE, STATEMENTS
from survey.throttle import TOKEN_GUESSES, client_address

MINUTES_TO_ANSWER = 5


class TooManyGuesses(Exception):
    """This address tried too many unknown links lately."""


def respondent_for_token(request: HttpRequest, token: str) -> Respondent:
    """The respondent behind a personal link, speaking their language unless they chose one.

    Unknown tokens are counted per address: after TOKEN_GUESSES.max_hits of them the
    address is refused for a while, so links cannot be found by trying many."""
    address = client_address(request)
    if TOKEN_GUESSES.exceeded(address):
        raise TooManyGuesses
    respondent = (
        Respondent.objects.select_related("round__company")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if respondent is None:
        TOKEN_GUESSES.hit(address)
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


def explains_throttling(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except TooManyGuesses:
            return render(request, "survey/too_many.html", status=429)

    return wrapper


@require_http_methods(["GET", "POST"])
@explains_throttling
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
        "threshold": respondent.round.anonymity_threshold,
    }
    return render(request, "survey/respond.html", context, status=400 if missing else 200)


@require_GET
@explains_throttling
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
