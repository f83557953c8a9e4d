"""The survey pages that staff answer on, without an account.

A personal link (/s/<token>/) is exchanged at once for a short-lived signed cookie and a
redirect to /s/start/, so the token leaves the address bar, the history and access logs.
The start page is the same in every browser but the survey's own, whether or not anyone
started or answered: a kept link tells its holder nothing. It gives the browser its device
secret already, so pressing Start claims the survey for this browser
(survey.writes.services.claim) repeatably: a second press, or a press whose answer was lost,
opens the same survey. From then on it lives at /s/r/<key>/, which opens only in that
browser. Pressing Start where another browser started first says so plainly, with a button
that emails a fresh link to the person's own address. A link shown on screen starts nothing
after SCREEN_LINK_LIFETIME. A browser signed in as a leader of the company can neither claim
nor answer a staff member's survey.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.advice.labels import TYPE_DESCRIPTIONS, TYPE_NAMES
from scoring.core.scores import relationship_type, respondent_score
from survey.core.statements import SCALE, STATEMENTS
from survey.identity.anchor import anchor_of
from survey.models import Membership, Respondent, Role, SurveyLink, hash_token
from survey.plumbing.throttle import (
    FRESH_LINK_ADDRESSES,
    FRESH_LINKS,
    TOKEN_GUESSES,
    client_address,
)
from survey.reads.roster import roster_of
from survey.staff import browser, playback_views
from survey.staff.forms import AnswersForm
from survey.staff.why import why_context
from survey.staff.withdrawn import withdrawn
from survey.writes.roster import flag_roster
from survey.writes.services import (
    InUseElsewhere,
    LinkExpired,
    RoundClosed,
    Withdrawn,
    claim,
    close_due,
    is_claimed_by,
    screen_link_expired,
    send_fresh_link,
    submit_answers,
    usable_fresh_link,
)

MINUTES_TO_ANSWER = 5


class TooManyGuesses(Exception):
    """This address tried too many unknown links lately."""


def explains_throttling(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except TooManyGuesses:
            return render(request, "survey/too_many.html", status=429)

    return wrapper


def speak_their_language(request: HttpRequest, respondent: Respondent) -> None:
    """The respondent's language, unless they chose one with the switcher."""
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(respondent.language)
        request.LANGUAGE_CODE = respondent.language


def link_for_token(request: HttpRequest, token: str) -> SurveyLink:
    """Unknown tokens are counted per address: after TOKEN_GUESSES.max_hits of them the
    address gets 429 instead of 404 for a while. A link that exists always opens, so nobody
    behind a shared office address is locked out by colleagues' mistyped links; what keeps
    links from being found is their 192 random bits, not the pause (survey.plumbing.throttle)."""
    link = SurveyLink.objects.filter(token_hash=hash_token(token)).first()
    if link is not None:
        return link
    address = client_address(request)
    if TOKEN_GUESSES.exceeded(address):
        raise TooManyGuesses
    TOKEN_GUESSES.hit(address)
    raise Http404("unknown survey link")


def is_leaders_browser(request: HttpRequest, respondent: Respondent) -> bool:
    """Signed in as a leader of the company, and not this survey's own head."""
    user = request.user
    if not user.is_authenticated:
        return False
    if respondent.role == Role.LEADER and respondent.email == user.email.lower():
        return False
    return Membership.objects.filter(user=user, company_id=respondent.round.company_id).exists()


def statement_items(ratings: dict[int, int], missing: set[int]) -> list[dict]:
    return [
        {"number": n, "text": str(text), "rating": ratings.get(n), "missing": n in missing}
        for n, text in STATEMENTS.items()
    ]


def in_use(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    """What every browser but the survey's own sees, whatever the person did or did not do."""
    return render(request, "survey/in_use.html", {"respondent": respondent}, status=403)


def started_before_you(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    """Start pressed where another browser started first: the person is told so."""
    context = {"respondent": respondent}
    return render(request, "survey/started_before_you.html", context, status=403)


def link_expired(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    """A screen link past its lifetime, the same whether or not the survey was started."""
    return render(request, "survey/link_expired.html", {"respondent": respondent}, status=410)


def closed(
    request: HttpRequest, respondent: Respondent, not_saved: bool = False, own: bool = False
) -> HttpResponse:
    """A closed round's published results, the same in every browser (survey.writes.playback).
    `not_saved`: answers were posted after the close, so the page says they were not saved
    (and, to the browser that holds the survey only, that its earlier answers are kept)."""
    refused = None
    if not_saved:
        refused = {
            "earlier": own
            and Respondent.objects.filter(pk=respondent.pk, submitted_at__isnull=False).exists()
        }
    return playback_views.summary(request, respondent, refused=refused)


def leaders_browser(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    return render(request, "survey/leaders_browser.html", {"respondent": respondent}, status=403)


@require_GET
@explains_throttling
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    link = link_for_token(request, token)
    response = redirect("survey:start")
    browser.remember_link(response, link.pk)
    return response


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    link = browser.opened_link(request)
    if link is None:
        return render(request, "survey/no_link.html", status=404)
    respondent = link.respondent
    speak_their_language(request, respondent)
    if respondent.removed_at:
        return withdrawn(request, respondent)
    close_due(respondent.round)
    secret = browser.device_secret(request)
    if not respondent.round.is_open:
        return closed(request, respondent)
    if is_claimed_by(respondent, secret):
        return redirect("survey:respond", key=respondent.key)
    if is_leaders_browser(request, respondent):
        return leaders_browser(request, respondent)
    if screen_link_expired(link):
        return link_expired(request, respondent)
    if request.method == "POST":
        return press_start(request, link, secret or browser.new_device_secret())
    return start_page(request, link, secret)


def press_start(request: HttpRequest, link: SurveyLink, secret: str) -> HttpResponse:
    respondent = link.respondent
    try:
        claim(link=link, secret=secret)
    except InUseElsewhere:
        return started_before_you(request, respondent)
    except LinkExpired:  # expired between the check and the claim
        return link_expired(request, respondent)
    # The link cookie stays (it lapses within LINK_MAX_AGE): pressing Start again, or going
    # back to the start page, finds this browser's survey instead of "open your link again".
    response = redirect("survey:respond", key=respondent.key)
    browser.remember_device(response, secret)
    return response


def anchor_context(respondent: Respondent) -> dict:
    """What the person's anonymity rests on, and the names they are counted among."""
    anchor = anchor_of(respondent.round.company)
    return {"anchor": anchor, "roster": roster_of(respondent, anchor)}


def start_page(request: HttpRequest, link: SurveyLink, secret: str | None) -> HttpResponse:
    """The same page whether or not another browser started the survey, except after a
    fresh link (which only the person's own mailbox receives): it says the survey moves."""
    respondent = link.respondent
    context = {
        "respondent": respondent,
        "moving": bool(respondent.device_hash) and usable_fresh_link(link),
        "minutes": MINUTES_TO_ANSWER,
    } | anchor_context(respondent)
    response = render(request, "survey/start.html", context)
    if secret is None:  # the secret exists before Start is pressed: see claim()
        browser.remember_device(response, browser.new_device_secret())
    return response


def own_respondent(
    request: HttpRequest, key: str, answering: bool = False
) -> tuple[Respondent, HttpResponse | None]:
    """The respondent at `key`, and the page to show instead when this browser may not
    answer: in use elsewhere, a leader's browser, or a closed round (which says that the
    answers were not saved when `answering`)."""
    respondent = Respondent.objects.select_related("round__company").filter(key=key).first()
    if respondent is None:
        raise Http404("unknown survey")
    speak_their_language(request, respondent)
    if respondent.removed_at:
        return respondent, withdrawn(request, respondent)
    close_due(respondent.round)
    own = is_claimed_by(respondent, browser.device_secret(request))
    if not respondent.round.is_open:
        return respondent, closed(request, respondent, not_saved=answering, own=own)
    if not own:
        return respondent, in_use(request, respondent)
    if is_leaders_browser(request, respondent):
        return respondent, leaders_browser(request, respondent)
    return respondent, None


@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, key: str) -> HttpResponse:
    respondent, refusal = own_respondent(request, key, answering=request.method == "POST")
    if refusal is not None:
        return refusal
    missing: set[int] = set()
    too_long: list[int] = []
    comments: dict[int, str] = {}
    guess = respondent.guess
    if request.method == "POST":
        form = AnswersForm(request.POST)
        if form.is_valid():
            try:
                submit_answers(
                    respondent=respondent,
                    ratings=form.ratings(),
                    comments=form.comments(),
                    guess=form.guess(),
                )
            except RoundClosed:
                close_due(respondent.round)
                return closed(request, respondent, not_saved=True, own=True)
            except Withdrawn:
                return withdrawn(request, respondent)
            return redirect("survey:thanks", key=key)
        ratings = form.given_ratings()
        missing = set(STATEMENTS) - set(ratings)
        comments, too_long, guess = form.given_comments(), form.too_long(), form.given_guess()
    elif respondent.submitted_at:
        ratings = dict(respondent.answers.values_list("statement", "rating"))
        comments = dict(respondent.comments.values_list("statement", "text"))
    else:
        ratings = {}

    context = {
        "respondent": respondent,
        "items": statement_items(ratings, missing),
        "answered": len(ratings),
        "missing": sorted(missing),
        "scale": [(value, str(label)) for value, label in SCALE],
        "minutes": MINUTES_TO_ANSWER,
        "threshold": respondent.round.anonymity_threshold,
    }
    context |= anchor_context(respondent)
    context |= why_context(context["items"], comments, too_long, guess)
    status = 400 if missing or too_long else 200
    return render(request, "survey/respond.html", context, status=status)


@require_GET
def thanks(request: HttpRequest, key: str) -> HttpResponse:
    respondent, refusal = own_respondent(request, key)
    if refusal is not None:
        return refusal
    ratings = list(respondent.answers.values_list("rating", flat=True))
    if len(ratings) != len(STATEMENTS):
        return redirect("survey:respond", key=key)
    score = respondent_score(ratings)
    kind = relationship_type(score)
    context = {
        "respondent": respondent,
        "score": score,
        "type_name": TYPE_NAMES[kind],
        "type_description": TYPE_DESCRIPTIONS[kind],
        "threshold": respondent.round.anonymity_threshold,
    }
    return render(request, "survey/thanks.html", context)


@require_POST
def fresh_link(request: HttpRequest, key: str) -> HttpResponse:
    """Email the person a fresh link; the page says the same whoever asks."""
    respondent = Respondent.objects.select_related("round__company").filter(key=key).first()
    if respondent is None:
        raise Http404("unknown survey")
    speak_their_language(request, respondent)
    if respondent.removed_at:
        return withdrawn(request, respondent)
    limits = ((FRESH_LINKS, key), (FRESH_LINK_ADDRESSES, client_address(request)))
    for limit, who in limits:
        if limit.exceeded(who):
            return render(request, "survey/too_many.html", status=429)
    for limit, who in limits:
        limit.hit(who)
    base_url = request.build_absolute_uri("/").rstrip("/")
    send_fresh_link(respondent=respondent, base_url=base_url, actor=None)
    return render(request, "survey/fresh_link_sent.html", {"respondent": respondent})


@require_POST
def flag_names(request: HttpRequest, key: str) -> HttpResponse:
    """ "I don't recognise someone in this list", from the browser that opened the person's
    link or holds their survey. The answer is the same whether or not they flagged before."""
    respondent = Respondent.objects.select_related("round__company").filter(key=key).first()
    if respondent is None:
        raise Http404("unknown survey")
    speak_their_language(request, respondent)
    if respondent.removed_at:
        return withdrawn(request, respondent)
    close_due(respondent.round)
    if not respondent.round.is_open:
        return closed(request, respondent)
    link = browser.opened_link(request)
    opened = link is not None and link.respondent_id == respondent.pk
    if not (opened or is_claimed_by(respondent, browser.device_secret(request))):
        return in_use(request, respondent)
    if is_leaders_browser(request, respondent):
        return leaders_browser(request, respondent)
    if roster_of(respondent, anchor_of(respondent.round.company)) is None:
        raise Http404("no list of names for this survey")
    flag_roster(respondent=respondent)
    back = reverse("survey:start") if opened else reverse("survey:respond", kwargs={"key": key})
    return render(request, "survey/names_flagged.html", {"respondent": respondent, "back": back})
