"""Plain helpers that put real rows in the test database."""

from django.contrib.auth import get_user_model

from survey.models import Company, Membership, Respondent, Round
from survey.services import submit_answers


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
) -> tuple[Respondent, str]:
    """A respondent and their link token; with `ratings` (20 values) they have answered."""
    respondent = Respondent(round=round, department=department, role=role, language=language)
    token = respondent.issue_token()
    respondent.save()
    if ratings is not None:
        submit_answers(respondent=respondent, ratings=dict(enumerate(ratings, start=1)))
    return respondent, token


def uniform(rating: int) -> list[int]:
    """20 equal ratings: a score of 20 x rating."""
    return [rating] * 20


def post_data(ratings: dict[int, int]) -> dict[str, str]:
    return {f"s{n}": str(r) for n, r in ratings.items()}
