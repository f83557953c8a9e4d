"""No published output pins one independent person's rating, whatever the leader planted.

Random small companies (1 to 6 staff per department, a head or not, k from 3 to 10, with or
without a verified domain) mix independent people (emailed at the verified domain, or
emailed at all on the leaders' word) with hand-delivered ones (links shown on screen, the
shared link, addresses outside the domain), whose ratings the attacker knows. The round is
published; then, for each independent person V:

- if V's answers are published in a group (their department's staff, or the pooled staff of
  both), swapping V's ratings with another independent person's of that group changes no
  published output;
- if V is in no published group, replacing V's ratings by arbitrary ones changes none.

The outputs: the `Published` figures, the leader's summary.json and the overview's HTML. So
no shown figure, nor a difference of shown figures, tells the attacker anything that ties
a rating to V: only the multiset of a published group's independent ratings shows, never
who gave which. Each example is a round in the database; seeded, so a failure repeats.
"""

import json
import re
from dataclasses import asdict
from datetime import UTC, datetime
from itertools import count

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from scoring.models import PublishedResult
from scoring.results.published import publish_round, read
from survey.models import Answer, CompanyDomain, Respondent, Via
from tests.factories import make_company, make_user

DEPARTMENTS = ("sales", "marketing")
KINDS = ("independent", "screen", "shared", "elsewhere")  # how each person's answer came
PUBLISHED_AT = datetime(2026, 6, 1, 12, tzinfo=UTC)  # fixed, so republishing moves nothing
NUMBERS = count()

ratings = st.lists(st.integers(1, 5), min_size=20, max_size=20)
person = st.tuples(st.sampled_from(KINDS), ratings)
companies = st.fixed_dictionaries(
    {
        "k": st.integers(3, 10),
        "verified": st.booleans(),
        "heads": st.fixed_dictionaries({d: st.lists(ratings, max_size=1) for d in DEPARTMENTS}),
        # Weighted towards independent people, so that groups do reach k
        "staff": st.fixed_dictionaries(
            {
                d: st.lists(
                    st.tuples(
                        st.sampled_from(("independent",) * 3 + KINDS[1:]),
                        ratings,
                    ),
                    min_size=1,
                    max_size=6,
                )
                for d in DEPARTMENTS
            }
        ),
    }
)


def add(round_, department, role, kind, values, domain) -> Respondent:
    n = next(NUMBERS)
    email, via = {
        "independent": (f"p{n}@{domain}", Via.EMAIL),
        "screen": (f"p{n}@{domain}", Via.SCREEN),
        "shared": ("", Via.SHARED),
        "elsewhere": (f"p{n}@planted.test", Via.EMAIL),
    }[kind]
    respondent = Respondent.objects.create(
        round=round_,
        department=department,
        role=role,
        email=email,
        claimed_via=via,
        submitted_at=PUBLISHED_AT,
    )
    set_ratings(respondent, values)
    return respondent


def set_ratings(respondent: Respondent, values: list[int]) -> None:
    Answer.objects.filter(respondent=respondent).delete()
    Answer.objects.bulk_create(
        Answer(respondent=respondent, statement=n, rating=r) for n, r in enumerate(values, 1)
    )


def ratings_of(respondent: Respondent) -> list[int]:
    return list(respondent.answers.order_by("statement").values_list("rating", flat=True))


def outputs(client, round_) -> tuple:
    """Publish the round afresh, and read what a leader sees of it."""
    PublishedResult.objects.filter(round=round_).delete()
    publish_round(survey_round=round_)
    PublishedResult.objects.filter(round=round_).update(published_at=PUBLISHED_AT)
    figures = asdict(read(PublishedResult.objects.get(round=round_)))
    data = json.loads(client.get(f"/rounds/{round_.pk}/summary.json").content)
    html = client.get(f"/rounds/{round_.pk}/").content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return figures, data, html


@pytest.mark.django_db
@seed(20261208)
@settings(
    max_examples=150,  # about 40 s on the 2-core machine
    phases=[Phase.explicit, Phase.generate],  # shrinking a round in the database is slow
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(company=companies, data=st.data())
def test_no_output_pins_an_independent_persons_rating(client, company, data):
    n = next(NUMBERS)
    firm = make_company(slug=f"firm-{n}", threshold=company["k"])
    domain = f"firm{n}.test"
    if company["verified"]:
        CompanyDomain.objects.create(
            company=firm, domain=domain, verified_at=PUBLISHED_AT, checked_at=PUBLISHED_AT
        )
    round_ = firm.rounds.create(
        title="Random", anonymity_threshold=company["k"], opened_at=PUBLISHED_AT
    )
    for department in DEPARTMENTS:
        for values in company["heads"][department]:
            add(round_, department, "leader", "independent", values, domain)
    independent: dict[str, list[Respondent]] = {d: [] for d in DEPARTMENTS}
    for department in DEPARTMENTS:
        for kind, values in company["staff"][department]:
            respondent = add(round_, department, "staff", kind, values, domain)
            # On the leaders' word an address outside any domain counts: there is none.
            if kind == "independent" or (kind == "elsewhere" and not company["verified"]):
                independent[department].append(respondent)
    round_.closed_at = PUBLISHED_AT
    round_.save(update_fields=["closed_at"])
    client.force_login(make_user(f"boss{n}@{domain}", firm))

    before = outputs(client, round_)
    published = read(PublishedResult.objects.get(round=round_))
    for department in DEPARTMENTS:
        for victim in independent[department]:
            if (department, "staff") in published.respondents:
                group = independent[department]
            elif published.pooled is not None:
                group = independent["sales"] + independent["marketing"]
            else:
                group = None
            mine = ratings_of(victim)
            if group is not None:
                others = [p for p in group if p != victim]
                assert len(others) >= company["k"] - 1  # a published group has k counted
                other = data.draw(st.sampled_from(others))
                theirs = ratings_of(other)
                set_ratings(victim, theirs)
                set_ratings(other, mine)
                assert outputs(client, round_) == before, (department, "swapped")
                set_ratings(other, theirs)
            else:
                set_ratings(victim, data.draw(ratings))
                assert outputs(client, round_) == before, (department, "replaced")
            set_ratings(victim, mine)
