import re

import pytest
from django.utils import timezone

from scoring.models import MoveDecision
from tests.factories import make_company, make_respondent, make_user, uniform
from tests.insight_factories import answered_round


def guide_url(round_) -> str:
    return f"/rounds/{round_.pk}/guide/"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def defined_round(company):
    return answered_round(company, sales=3, marketing=2)  # 60 and 40: combined 50, Defined


def test_anonymous_visitors_are_sent_to_log_in(client, round_):
    response = client.get(guide_url(round_))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_another_companys_user_gets_a_404_and_cannot_save(client, defined_round, outsider):
    client.force_login(outsider)
    assert client.get(guide_url(defined_round)).status_code == 404
    assert client.post(guide_url(defined_round), {"move": ["short_life_cycles"]}).status_code == 404
    assert not MoveDecision.objects.exists()


def test_the_guide_only_answers_get_and_post(client, defined_round, manager):
    client.force_login(manager)
    assert client.put(guide_url(defined_round)).status_code == 405


def test_it_lists_the_current_types_conditions_both_ways(client, defined_round, manager):
    client.force_login(manager)
    html = text(client.get(guide_url(defined_round)))
    assert "Your combined type: Defined" in html
    assert "Stay Defined, or move to Aligned?" in html
    assert "There is no compelling reason to change." in html
    assert "Product life cycles are getting shorter and technology changes quickly." in html
    assert "Conflict between the two departments" not in html  # an Undefined condition
    assert "This description summarises the original English article" in html


def test_reasons_to_move_and_none_to_stay_recommend_tightening(client, defined_round, manager):
    client.force_login(manager)
    data = {"move": ["short_life_cycles", "customised_during_sale"]}
    response = client.post(guide_url(defined_round), data, follow=True)
    html = text(response)

    assert "Your answers are saved and the recommendation updated." in html
    assert "Tighten the relationship: work towards Aligned." in html
    assert "Products are configured or customised for each customer during the sale." in html
    assert "Saved by manager@acme.test" in html
    assert 'id="improvements"' not in html  # improvements within the type follow a stay
    decision = MoveDecision.objects.get(round=defined_round)
    assert decision.recommendation == "tighten" and decision.decided_by == manager
    assert decision.relationship_type == "defined"
    assert set(decision.ticked) == {"short_life_cycles", "customised_during_sale"}
    assert 'value="short_life_cycles" checked' in re.sub(r'\s+(?:class|id)="[^"]*"', "", html)


def test_reasons_both_ways_are_flagged_side_by_side_not_counted(client, defined_round, manager):
    # Two reasons to move against one to stay: the old rule counted them and said
    # "tighten"; the source's table sets them side by side, and they contradict.
    client.force_login(manager)
    data = {"stay": ["simple_offer"], "move": ["short_life_cycles", "customised_during_sale"]}
    html = text(client.post(guide_url(defined_round), data, follow=True))

    assert "The reasons contradict each other" in html
    assert "Talk them through together before you decide." in html
    assert "Tighten the relationship" not in html
    stay = html.split('id="reasons-stay"')[1].split('id="reasons-move"')[0]
    move = html.split('id="reasons-move"')[1]
    assert "Our products and services are not very varied or complex." in stay
    assert "Product life cycles are getting shorter" in move
    assert MoveDecision.objects.get().recommendation == "revisit"


def test_reasons_to_stay_and_none_to_move_offer_improvements_within_the_type(
    client, defined_round, manager
):
    client.force_login(manager)
    data = {"stay": ["simple_offer", "no_reason_to_change"]}
    html = text(client.post(guide_url(defined_round), data, follow=True))

    assert "Stay Defined: reasons to stay hold and no reason to move does." in html
    assert "Improve the relationship within Defined" in html
    assert "Check that the hand-offs work" in html
    assert "Talk price and promotion through before they turn into quarrels" in html
    assert "Give people joint assignments" not in html  # a playbook action, on the plan page
    assert MoveDecision.objects.get().recommendation == "stay"


def test_reasons_both_ways_are_summarised_on_the_dashboard(client, defined_round, manager):
    # The old rule called one against one a tie: "stay for now and look again".
    client.force_login(manager)
    client.post(guide_url(defined_round), {"stay": ["simple_offer"], "move": ["short_life_cycles"]})
    html = text(client.get(f"/rounds/{defined_round.pk}/"))
    assert "The reasons contradict each other" in html
    assert "Our products and services are not very varied or complex." in html


def test_a_decision_that_ticked_a_withdrawn_condition_still_renders(client, company, manager):
    round_ = answered_round(company, sales=4, marketing=3)  # 80 and 60: combined 70, Aligned
    MoveDecision.objects.create(
        round=round_,
        relationship_type="aligned",
        ticked=["accountability_possible", "separate_reporting"],
        recommendation="revisit",  # what the old rule stored for one against one
        decided_by=manager,
        decided_at=timezone.now(),
    )
    client.force_login(manager)
    html = text(client.get(guide_url(round_)))
    assert "Stay Aligned: reasons to stay hold and no reason to move does." in html
    assert "Sales and marketing report to different executives." in html
    assert "jointly accountable" not in html
    assert "This description summarises the original English article" in html
    assert text(client.get(f"/rounds/{round_.pk}/plan/")).count("Stay Aligned") == 1


def test_unticking_everything_leaves_no_recommendation(client, defined_round, manager):
    client.force_login(manager)
    client.post(guide_url(defined_round), {"move": ["short_life_cycles"]})
    html = text(client.post(guide_url(defined_round), {}, follow=True))
    assert "No recommendation yet" in html
    assert MoveDecision.objects.get().recommendation == "none"


def test_a_key_of_another_type_is_refused(client, defined_round, manager):
    client.force_login(manager)
    response = client.post(guide_url(defined_round), {"move": ["open_conflict"]})
    assert response.status_code == 200  # the form again, with an error
    assert not MoveDecision.objects.exists()


def test_without_a_shown_combined_level_the_guide_says_so(client, round_, manager):
    make_respondent(round_, "sales", "leader", uniform(3))
    client.force_login(manager)
    html = text(client.get(guide_url(round_)))
    assert "Not enough responses yet: the guide starts from the combined type" in html
    assert '<form method="post" class="guide-form"' not in html
    client.post(guide_url(round_), {"move": ["short_life_cycles"]})
    assert not MoveDecision.objects.exists()


def test_integrated_has_no_next_type(client, db):
    company = make_company(slug="top")
    round_ = answered_round(company, sales=5, marketing=4)  # 100 and 80: 90, Integrated
    client.force_login(make_user("boss@top.test", company))
    html = text(client.get(guide_url(round_)))
    assert "Integrated is the tightest of the four types, so there is no next type" in html
    assert "guide-form" not in html
    assert "Improve the relationship within Integrated" in html
    assert "Fit the measures to each marketing role" in html
    assert "summarises the original English article" not in html  # the source describes it
