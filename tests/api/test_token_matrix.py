"""Every API operation x the token sent -> the expected status.

No token, an unknown one, an expired one and a revoked one are a 401 (the same words);
another company's token finds none of this company's rounds (404, as the pages); a token
without the operation's scope is a 403. The operations are read from the API, so a new
one without a row fails."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from scoring.api.views import api
from survey.models import ApiToken, hash_token
from survey.writes.api_tokens import revoke_token
from tests.api.conftest import token_for
from tests.factories import make_company, make_user

KINDS = ("none", "unknown", "expired", "revoked", "other_company", "results", "plan", "both")
OK = 200
# operation: status per token kind (after the four 401s)
TABLE = {
    "/company": {"other_company": OK, "results": OK, "plan": OK, "both": OK},
    "/rounds": {"other_company": OK, "results": OK, "plan": 403, "both": OK},
    "/rounds/{open}": {"other_company": 404, "results": OK, "plan": 403, "both": OK},
    "/rounds/{closed}/results": {"other_company": 404, "results": OK, "plan": 403, "both": OK},
    "/rounds/{closed}/trends": {"other_company": 404, "results": OK, "plan": 403, "both": OK},
    "/rounds/{open}/actions": {"other_company": 404, "results": 403, "plan": OK, "both": OK},
}


def test_every_operation_has_a_row():
    paths = {
        path.replace("/api/v1", "").replace("{round_id}", "{}")
        for path in api.get_openapi_schema(path_prefix="/api/v1")["paths"]
    }
    rows = {p.replace("{open}", "{}").replace("{closed}", "{}") for p in TABLE}
    assert paths == rows


@pytest.fixture
def tokens(company, closed):
    other = make_company("Other", "other")
    expired = token_for(company)
    ApiToken.objects.filter(token_hash=hash_token(expired)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    revoked = token_for(company)
    revoke_token(
        token=ApiToken.objects.get(token_hash=hash_token(revoked)),
        actor=make_user("owner@acme.test", company, "owner"),
    )
    return {
        "none": None,
        "unknown": "sma_" + "x" * 32,
        "expired": expired,
        "revoked": revoked,
        "other_company": token_for(other),
        "results": token_for(company, scopes=["results"]),
        "plan": token_for(company, scopes=["plan"]),
        "both": token_for(company),
    }


CASES = [(path, kind) for path in TABLE for kind in KINDS]


@pytest.mark.parametrize("path,kind", CASES, ids=[f"{p}-{k}" for p, k in CASES])
def test_each_operation_answers_each_token_as_expected(db, company, closed, tokens, path, kind):
    open_round = company.rounds.create(title="Now")
    url = "/api/v1" + path.format(open=open_round.pk, closed=closed.pk)
    token = tokens[kind]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = Client(headers=headers).get(url)
    expected = TABLE[path].get(kind, 401)
    assert response.status_code == expected, response.content
    if expected != OK:
        assert response["Content-Type"] == "application/problem+json"
    if expected == 401:
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert response.json()["detail"] == (
            "The bearer token is missing, unknown, expired or revoked."
        )
