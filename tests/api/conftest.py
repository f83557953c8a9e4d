from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from scoring.models import PlannedAction
from survey.models import ApiToken, Company
from survey.writes.api_tokens import create_token
from tests.factories import close, make_respondent, uniform


def token_for(company: Company, scopes=("results", "plan"), days: int = 30) -> str:
    _, token = create_token(
        company=company,
        name="BI",
        scopes=list(scopes),
        expires_at=timezone.now() + timedelta(days=days),
        actor=None,
    )
    return token


def fill(round_, per_group: int = 5, comment: str = "") -> None:
    """Heads and `per_group` staff in each department, sales rating higher."""
    for department, rating in (("sales", 4), ("marketing", 2)):
        make_respondent(round_, department, "leader", ratings=uniform(rating))
        for i in range(per_group):
            make_respondent(round_, department, "staff", ratings=uniform(rating + (i % 2)))


@pytest.fixture
def closed(company):
    """A closed round with every group shown, and an action on its plan."""
    round_ = company.rounds.create(title="Spring", opened_at=timezone.now() - timedelta(days=9))
    fill(round_)
    close(round_)
    PlannedAction.objects.create(company=company, round=round_, title="Meet monthly")
    return round_


@pytest.fixture
def token(company) -> str:
    return token_for(company)


@pytest.fixture
def api(token) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def get(client: Client, path: str, **headers):
    return client.get(f"/api/v1{path}", headers=headers)


__all__ = ["ApiToken", "fill", "get", "token_for"]
