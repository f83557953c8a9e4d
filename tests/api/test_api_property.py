"""Over random rounds: every figure the API returns is summary.json's or the page's, and
nothing a page hides is in the API (staff groups below k, comments of groups with fewer
than max(k, 5) comments on a statement). Each example is a real round, published by the
real close, read through the real API with a real token."""

import json
from itertools import count

import pytest
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from scoring.files.exports import summary_json
from scoring.pages.presenters import dashboard_context, decimal
from scoring.pages.voices import voices_context
from scoring.results.published import results_of
from survey.models import Comment, Respondent
from tests.api.conftest import token_for
from tests.factories import close, make_company, make_respondent

DEPARTMENTS = ("sales", "marketing")
NUMBERS = count()
GUESSES = ("", "undefined", "defined", "aligned", "integrated", "unknown")

person = st.fixed_dictionaries(
    {
        "ratings": st.lists(st.integers(1, 5), min_size=20, max_size=20),
        "comments": st.lists(st.sampled_from((0, 1, 2)), max_size=2, unique=True),
        "guess": st.sampled_from(GUESSES),
    }
)
rounds = st.fixed_dictionaries(
    {
        "k": st.integers(3, 6),
        "heads": st.fixed_dictionaries({d: st.lists(person, max_size=1) for d in DEPARTMENTS}),
        "staff": st.fixed_dictionaries({d: st.lists(person, max_size=7) for d in DEPARTMENTS}),
    }
)


def build(spec):
    n = next(NUMBERS)
    company = make_company(f"Co {n}", f"co-{n}", threshold=spec["k"])
    round_ = company.rounds.create(title="Round")
    texts = {}  # comment text -> (department, role, statement)
    for role, groups in (("leader", spec["heads"]), ("staff", spec["staff"])):
        for department, people in groups.items():
            for p in people:
                respondent, _ = make_respondent(round_, department, role, ratings=p["ratings"])
                Respondent.objects.filter(pk=respondent.pk).update(guess=p["guess"])
                for statement in p["comments"]:
                    text = f"comment-{respondent.pk}-{statement}"
                    Comment.objects.create(respondent=respondent, statement=statement, text=text)
                    texts[text] = (department, role, statement)
    close(round_)
    return company, round_, texts


def shown_texts(voices) -> set[str]:
    blocks = voices["comments"] + [{"groups": voices["open_comments"]}]
    return {t for b in blocks for g in b["groups"] for t in g["comments"]}


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: bounded time
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=rounds)
def test_the_api_shows_the_pages_figures_and_nothing_they_hide(spec):
    company, round_, texts = build(spec)
    client = Client(headers={"Authorization": f"Bearer {token_for(company)}"})
    response = client.get(f"/api/v1/rounds/{round_.pk}/results")
    assert response.status_code == 200
    body = response.json()
    results = results_of(round_)
    summary = json.loads(json.dumps(summary_json(round_, results.score, results.published)))

    # summary.json's figures, exactly
    for key, value in summary.items():
        if key == "statements":
            by_number = {s["number"]: s for s in body["statements"]}
            assert sorted(by_number) == [s["number"] for s in value]
            for row in value:
                assert {k: by_number[row["number"]][k] for k in row} == row
        elif key == "departments":
            for name, groups in value.items():
                assert {g: body[key][name][g] for g in groups} == groups
        else:
            assert body[key] == value, key

    # the page's figures, as the page writes them
    page = dashboard_context(round_, results.score, results.insights, results.published)
    interval = body["combined_interval"]
    expected = page["level_interval"]
    assert (interval is None) == (expected is None)
    if interval:
        assert expected == f"{decimal(interval['low'])} to {decimal(interval['high'])}"
    for department in page["departments"]:
        found = body["departments"][department["key"]]
        assert department["sd"] == (None if found["sd"] is None else decimal(found["sd"]))

    # staff groups below k: no count, no score, no spread
    k = spec["k"]
    for department in DEPARTMENTS:
        if len(spec["staff"][department]) < k:
            staff = body["departments"][department]["staff"]
            assert staff == {"shown": False, "respondents": None, "score": None, "type": None}
            assert (department, "staff") not in {
                (s["department"], s["role"]) for s in body["spread"]
            }

    # comments: exactly the page's, and no staff comment of a group below max(k, 5) (heads'
    # comments are the heads' view, shown whenever there are any)
    voices = voices_context(results.published, results.score)["voices"]
    in_api = {c["text"] for c in body["comments"]}
    assert in_api == shown_texts(voices)
    floor = max(k, 5)
    for text, (department, role, statement) in texts.items():
        alone = sum(1 for d, r, s in texts.values() if (d, r, s) == (department, role, statement))
        pooled = sum(1 for d, r, s in texts.values() if r == "staff" and s == statement)
        if role == "staff" and alone < floor and pooled < floor:
            assert text not in response.content.decode()

    # guesses only where the page shows them
    page_guesses = {row["label"] for row in voices["guess_rows"]}
    assert len(body["guesses"]) == len(page_guesses)
