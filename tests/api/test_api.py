"""The API answers what the pages show, with ETags, pages of rounds, problem details and
limits."""

from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from scoring.files.exports import summary_json
from scoring.results.published import results_of
from survey.models import ApiToken, AuditEvent, hash_token
from tests.api.conftest import get, token_for
from tests.factories import closed_round


def test_the_company_answers_with_the_tokens_scopes(db, company, api):
    response = get(api, "/company")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "acme",
        "name": "Acme",
        "anonymity_threshold": 5,
        "scopes": ["plan", "results"],
    }


def test_results_hold_summary_json_figures(db, company, api, closed):
    response = get(api, f"/rounds/{closed.pk}/results")
    assert response.status_code == 200, response.content
    body = response.json()
    results = results_of(closed)
    summary = summary_json(closed, results.score, results.published)
    for key in ("combined_level", "combined_type", "gap", "anonymity_threshold", "roster"):
        assert body[key] == summary[key]
    assert body["combined_level"] is not None
    for name in ("sales", "marketing"):
        for role in ("total", "leaders", "staff"):
            assert body["departments"][name][role] == summary["departments"][name][role]
    by_number = {s["number"]: s for s in summary["statements"]}
    for row in body["statements"]:
        for key in ("sales_mean", "marketing_mean", "gap", "text"):
            assert row[key] == by_number[row["number"]][key]


def test_an_etag_comes_back_as_a_304(db, company, api, closed):
    first = get(api, f"/rounds/{closed.pk}/results")
    etag = first["ETag"]
    again = get(api, f"/rounds/{closed.pk}/results", **{"If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    other = get(api, f"/rounds/{closed.pk}/results", **{"If-None-Match": '"stale"'})
    assert other.status_code == 200


def test_rounds_page_and_filter(db, company, api, closed):
    # One open round at a time: two more closed ones, then the open one.
    later = [closed_round(company, f"Later {n}") for n in range(2)]
    open_round = company.rounds.create(title="Open")
    body = get(api, "/rounds?limit=2").json()
    assert body["count"] == 4 and len(body["items"]) == 2
    assert body["next"].endswith("limit=2&offset=2") and body["previous"] is None
    last = get(api, "/rounds?limit=2&offset=2").json()
    assert last["next"] is None and last["previous"]
    open_only = get(api, "/rounds?status=open").json()
    assert [r["id"] for r in open_only["items"]] == [open_round.pk]
    closed_only = get(api, "/rounds?status=closed").json()
    assert sorted(r["id"] for r in closed_only["items"]) == sorted(
        [closed.pk, *(r.pk for r in later)]
    )
    first = next(r for r in closed_only["items"] if r["id"] == closed.pk)
    assert first["results_url"].endswith(f"/api/v1/rounds/{closed.pk}/results")
    day = closed.opened_at.date()
    before = get(api, f"/rounds?opened_before={day.isoformat()}").json()
    assert [r["id"] for r in before["items"]] == [closed.pk]
    after = get(api, f"/rounds?opened_after={(day + timedelta(days=1)).isoformat()}").json()
    assert after["count"] == 3


def test_an_open_round_has_no_results_yet(db, company, api, round_):
    response = get(api, f"/rounds/{round_.pk}/results")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Results are published when the round closes.",
        "instance": f"/api/v1/rounds/{round_.pk}/results",
    }


def test_a_bad_query_is_a_problem(db, company, api):
    response = get(api, "/rounds?limit=0")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "limit" in response.json()["detail"]


def test_the_plan_lists_its_actions(db, company, api, closed):
    body = get(api, f"/rounds/{closed.pk}/actions").json()
    assert [(a["title"], a["status"]) for a in body["items"]] == [("Meet monthly", "open")]


def test_trends_of_one_round(db, company, api, closed):
    body = get(api, f"/rounds/{closed.pk}/trends").json()
    assert body["rounds"] == 1 and len(body["points"]) == 1 and body["changes"] == []


def test_a_token_over_its_limit_waits(db, company, api, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    assert [get(api, "/company").status_code for _ in range(3)] == [200] * 3
    refused = get(api, "/company")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"] == "application/problem+json"


def test_wrong_tokens_are_limited_per_address(db, company):
    client = Client(headers={"Authorization": "Bearer nope"})
    assert {get(client, "/company").status_code for _ in range(20)} == {401}
    assert get(client, "/company").status_code == 429


def test_the_command_prints_a_working_token_last(db, company, capsys):
    call_command("api_token", "--company", "acme", "--name", "Looker")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    stored = ApiToken.objects.get()
    assert stored.token_hash == hash_token(token) and token not in str(stored.__dict__)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert get(client, "/company").status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.API_TOKEN_CREATED).count() == 1


def test_use_from_a_new_address_is_on_the_record(db, company):
    token = token_for(company)
    for address in ("10.0.0.1", "10.0.0.1", "10.0.0.2"):
        Client(REMOTE_ADDR=address, headers={"Authorization": f"Bearer {token}"}).get(
            "/api/v1/company"
        )
    events = AuditEvent.objects.filter(action=AuditEvent.Action.API_TOKEN_NEW_ADDRESS)
    assert events.count() == 2
    row = ApiToken.objects.get()
    assert row.last_used_from == "10.0.0.2" and row.last_used_at <= timezone.now()
