"""Plain helpers that put real rows in the test database."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from survey.models import Company, Membership, Respondent, Round, SurveyLink, Via
from survey.writes.services import close_round, new_link, submit_answers


def make_company(name: str = "Acme", slug: str = "acme", threshold: int = 5) -> Company:
    return Company.objects.create(name=name, slug=slug, anonymity_threshold=threshold)


def make_user(username: str, company: Company | None = None, role: str = "manager"):
    user = get_user_model().objects.create_user(
        username=username, email=username if "@" in username else "", password="pw-for-tests-1"
    )
    if company is not None:
        Membership.objects.create(user=user, company=company, role=role)
    return user


def make_respondent(
    round: Round,
    department: str = "sales",
    role: str = "staff",
    ratings: list[int] | None = None,
    language: str = "en",
    email: str = "",
) -> tuple[Respondent, str]:
    """A respondent and an emailed link's token, as if a browser the test does not hold had
    started the survey through that link (so, in a company without a verified domain, or
    with an `email` at one, they count toward k once they answer); with `ratings` (20
    values) they have answered."""
    respondent = Respondent.objects.create(
        round=round,
        department=department,
        role=role,
        language=language,
        email=email,
        claimed_via=Via.EMAIL,
    )
    link, token = new_link(respondent, SurveyLink.Kind.EMAIL)
    link.save()
    if ratings is not None:
        submit_answers(respondent=respondent, ratings=dict(enumerate(ratings, start=1)))
    return respondent, token


def uniform(rating: int) -> list[int]:
    """20 equal ratings: a score of 20 x rating."""
    return [rating] * 20


def post_data(ratings: dict[int, int]) -> dict[str, str]:
    return {f"s{n}": str(r) for n, r in ratings.items()}


def start_survey(client: Client, token: str) -> str:
    """Open a personal link and press Start, as a staff member's browser does: the URL of
    the survey, which from then on opens only in this client."""
    opened = client.get(f"/s/{token}/")
    assert opened.status_code == 302 and opened["Location"] == "/s/start/"
    started = client.post("/s/start/")
    assert started.status_code == 302, started.content.decode()[:500]
    return started["Location"]


def close(round: Round) -> Round:
    """Close a round as a leader would, publishing its results."""
    return close_round(survey_round=round, actor=None)


def closed_round(company: Company, title: str = "Closed", **fields) -> Round:
    """A round of `company` that was open before and is closed now, results published: a
    company has one open round at a time, so a test that needs a closed round beside an
    open one makes it closed from the start."""
    return close(
        Round.objects.create(company=company, title=title, closed_at=timezone.now(), **fields)
    )


def answered_yesterday(round: Round) -> None:
    """Move every answer of `round` given so far to yesterday: leaders' counts take answers
    up to last midnight (survey.reads.tracking), so this is the next day's view of them."""
    round.respondents.filter(submitted_at__isnull=False).update(
        submitted_at=timezone.now() - timedelta(days=1)
    )


def close_open_round(company: Company) -> None:
    """Close the company's open round, if any (as a leader would) before a test opens
    another: a company has one open round at a time."""
    for survey_round in Round.objects.filter(company=company, closed_at__isnull=True):
        close(survey_round)
