"""The two-key guide through its real views: two heads answer on their own, then compare."""

import re

import pytest
from django.conf import settings

from scoring.models import MoveDecision, RoundHead
from tests.factories import make_user
from tests.insight_factories import answered_round


def url(survey_round) -> str:
    return f"/rounds/{survey_round.pk}/guide/two-key/"


def text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def heads(company):
    return make_user("sales@acme.test", company), make_user("marketing@acme.test", company)


@pytest.fixture
def defined_round(company):
    return answered_round(company, sales=2, marketing=2)  # both 40: Defined


def choose(client, survey_round, sales, marketing):
    return client.post(
        f"{url(survey_round)}heads/", {"sales_head": sales.pk, "marketing_head": marketing.pk}
    )


def answer(client, user, survey_round, *keys):
    client.force_login(user)
    return client.post(url(survey_round), {"ticked": list(keys)})


def test_two_heads_answer_differently_and_see_each_condition(client, defined_round, heads, manager):
    sales, marketing = heads
    client.force_login(manager)
    assert choose(client, defined_round, sales, marketing)["Location"] == url(defined_round)

    answer(client, sales, defined_round, "no_reason_to_change", "simple_offer")
    page = text(client.get(url(defined_round)))
    assert "Your answers, as head of Sales" in page
    assert "Where the two heads agree" not in page  # hidden until both have answered
    assert "stay out of sight until both have answered" in page
    client.force_login(marketing)
    page = text(client.get(url(defined_round)))
    assert "Your answers, as head of Marketing" in page
    assert 'value="no_reason_to_change" id="tick-no_reason_to_change" checked' not in page

    answer(client, marketing, defined_round, "no_reason_to_change", "short_life_cycles")
    client.force_login(manager)  # any member of the company sees the comparison
    page = text(client.get(url(defined_round)))
    assert "Starting from Defined" in page and "Both departments sit here." in page
    rows = re.findall(
        r'<tr class="(agreed|disagreed)"> <th scope="row" class="fw-normal">([^<]+)', page
    )
    disagreed = {condition for kind, condition in rows if kind == "disagreed"}
    assert disagreed == {
        "Our products and services are not very varied or complex.",
        "Product life cycles are getting shorter and technology changes quickly.",
    }
    assert len(rows) == 7
    assert "The heads disagree on 2 conditions: talk them through before deciding." in page
    # Together, only "no compelling reason to change" holds for both: stay.
    assert "Together, on what both say holds: Stay Defined" in page
    assert "Head of sales on their own: Stay Defined" in page
    assert "Head of marketing on their own: The reasons contradict each other" in page
    assert "Your answers, as head of" not in page  # the manager is not a head


def test_departments_in_different_bands_start_from_both_types(client, company, heads, manager):
    survey_round = answered_round(company, sales=3, marketing=2)  # 60 Aligned, 40 Defined
    sales, marketing = heads
    client.force_login(manager)
    choose(client, survey_round, sales, marketing)
    client.force_login(sales)
    page = text(client.get(url(survey_round)))
    assert "The two departments sit in different types" in page
    assert page.index("Starting from Defined") < page.index("Starting from Aligned")
    assert "Marketing sits here." in page and "Sales sits here." in page
    answer(client, sales, survey_round, "short_life_cycles", "short_sales_cycle", "small_company")
    assert RoundHead.objects.get(user=sales).ticked == ["short_life_cycles", "short_sales_cycle"]
    answer(client, marketing, survey_round, "short_life_cycles")
    page = text(client.get(url(survey_round)))
    assert page.count("Together, on what both say holds:") == 2
    assert "Tighten the relationship: work towards Aligned." in page
    assert "The heads disagree on 1 condition: talk it through before deciding." in page


def test_only_the_chosen_heads_answer(client, defined_round, heads, manager):
    sales, marketing = heads
    client.force_login(manager)
    choose(client, defined_round, sales, marketing)
    response = client.post(url(defined_round), {"ticked": ["simple_offer"]}, follow=True)
    assert "Only the two heads chosen for this round answer here." in text(response)
    assert not RoundHead.objects.exclude(answered_at=None).exists()


def test_one_person_cannot_hold_both_keys(client, defined_round, heads, manager):
    sales, _ = heads
    client.force_login(manager)
    response = choose(client, defined_round, sales, sales)
    assert "Choose a different person for each department." in text(response)
    assert not RoundHead.objects.exists()


def test_a_head_must_be_a_member_and_outsiders_get_a_404(
    client, defined_round, heads, outsider, manager
):
    sales, _ = heads
    client.force_login(manager)
    response = choose(client, defined_round, sales, outsider)
    assert "Select a valid choice" in text(response)
    assert not RoundHead.objects.exists()
    client.force_login(outsider)
    assert client.get(url(defined_round)).status_code == 404
    assert choose(client, defined_round, sales, outsider).status_code == 404


def test_a_new_head_starts_with_no_answers(client, company, defined_round, heads, manager):
    sales, marketing = heads
    client.force_login(manager)
    choose(client, defined_round, sales, marketing)
    answer(client, sales, defined_round, "simple_offer")
    answer(client, marketing, defined_round, "simple_offer")
    client.force_login(manager)
    choose(client, defined_round, sales, manager)
    assert RoundHead.objects.get(department="sales").answered_at is not None  # kept
    assert RoundHead.objects.get(department="marketing").user == manager
    assert RoundHead.objects.get(department="marketing").answered_at is None
    assert "Where the two heads agree" not in text(client.get(url(defined_round)))


def test_the_single_leader_guide_still_works_beside_it(client, defined_round, manager):
    client.force_login(manager)
    page = text(client.get(f"/rounds/{defined_round.pk}/guide/"))
    assert f'href="{url(defined_round)}"' in page
    client.post(f"/rounds/{defined_round.pk}/guide/", {"stay": ["simple_offer"]})
    assert MoveDecision.objects.get().recommendation == "stay"


def test_it_speaks_vietnamese(client, defined_round, heads, manager):
    sales, marketing = heads
    client.force_login(manager)
    choose(client, defined_round, sales, marketing)
    answer(client, sales, defined_round, "simple_offer")
    answer(client, marketing, defined_round, "short_life_cycles")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = text(client.get(url(defined_round)))
    assert "Hai chìa khoá" in page and "Bắt đầu từ" in page
    assert "Starting from" not in page and "Disagree: talk it through" not in page


def test_nothing_before_the_close(client, company, manager):
    client.force_login(manager)
    open_round = answered_round(company, closed=False)
    assert "The guide opens when the round is closed" in text(client.get(url(open_round)))
