import datetime
import re

import pytest

from scoring.models import PlannedAction
from tests.factories import close, make_company, make_user
from tests.insight_factories import answered_round


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def plan_url(round_, suffix: str = "") -> str:
    return f"/rounds/{round_.pk}/plan/{suffix}"


@pytest.fixture
def defined_round(company):
    return answered_round(company, sales=3, marketing=2)


def add(round_, **fields) -> PlannedAction:
    return PlannedAction.objects.create(company=round_.company, round=round_, **fields)


def test_anonymous_visitors_are_sent_to_log_in(client, round_):
    for suffix in ("", "add/"):
        response = client.get(plan_url(round_, suffix))
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_another_company_gets_a_404_everywhere(client, defined_round, outsider):
    action = add(defined_round, title="Ours")
    client.force_login(outsider)
    for suffix in ("", "add/", f"{action.pk}/edit/", f"{action.pk}/delete/"):
        assert client.get(plan_url(defined_round, suffix)).status_code == 404
    assert client.post(plan_url(defined_round, f"{action.pk}/delete/")).status_code == 404
    assert (
        client.post(plan_url(defined_round, f"{action.pk}/status/"), {"status": "done"}).status_code
        == 404
    )
    action.refresh_from_db()
    assert action.status == "open"


def test_an_action_of_another_company_is_a_404_even_through_my_own_round(
    client, defined_round, manager
):
    other = make_company(name="Other", slug="other")
    theirs = add(other.rounds.create(title="X"), title="Theirs")
    client.force_login(manager)
    assert client.get(plan_url(defined_round, f"{theirs.pk}/edit/")).status_code == 404
    assert (
        client.post(plan_url(defined_round, f"{theirs.pk}/status/"), {"status": "done"}).status_code
        == 404
    )


def test_the_status_change_only_accepts_post(client, defined_round, manager):
    action = add(defined_round, title="Meet")
    client.force_login(manager)
    assert client.get(plan_url(defined_round, f"{action.pk}/status/")).status_code == 405
    assert client.delete(plan_url(defined_round)).status_code == 405


def test_an_empty_plan_says_so_and_offers_the_playbook(client, defined_round, manager):
    client.force_login(manager)
    html = text(client.get(plan_url(defined_round)))
    assert "No actions yet." in html
    assert "Playbook: from Defined to Aligned" in html
    assert "Appoint a marketing liaison who works with the sales team" in html


def test_the_playbook_puts_the_actions_on_the_worst_statements_first(client, company, manager):
    round_ = answered_round(company, sales=3, marketing=2, closed=False)
    # Everyone rates 18 (people move between departments) at 1: job rotation and
    # co-location work on it, in the source's order.
    from survey.models import Answer

    Answer.objects.filter(respondent__round=round_, statement=18).update(rating=1)
    close(round_)
    client.force_login(manager)
    html = text(client.get(plan_url(round_)))
    keys = re.findall(r'class="playbook-action" id="playbook-(\w+)"', html)
    assert keys[:2] == ["rotate_jobs", "co_location"]
    assert "Ordered by your results" in html


def test_adding_an_action_from_the_playbook(client, defined_round, manager):
    client.force_login(manager)
    form = client.get(plan_url(defined_round, "add/?playbook=marketing_liaison"))
    assert 'value="marketing_liaison" selected' in text(form)
    data = {
        "playbook_key": "marketing_liaison",
        "title": "",
        "owner": "Lan",
        "due_date": "2026-03-31",
        "status": "open",
        "notes": "",
    }
    html = text(client.post(plan_url(defined_round, "add/"), data, follow=True))
    assert "“Appoint a marketing liaison who works with the sales team” is in the plan." in html
    assert "Owner: Lan" in html
    assert 'id="playbook-marketing_liaison"' in html and "In your plan" in html
    action = PlannedAction.objects.get()
    assert (action.company, action.round, action.due_date) == (
        defined_round.company,
        defined_round,
        datetime.date(2026, 3, 31),
    )


def test_an_action_needs_a_playbook_key_or_a_title(client, defined_round, manager):
    client.force_login(manager)
    response = client.post(plan_url(defined_round, "add/"), {"status": "open"})
    assert response.status_code == 200
    assert "Choose a playbook action or give the action a title." in text(response)
    assert not PlannedAction.objects.exists()


def test_editing_marking_done_and_removing(client, defined_round, manager):
    action = add(defined_round, title="Joint pipeline review", owner="Minh")
    client.force_login(manager)

    data = {"title": "Monthly pipeline review", "owner": "Minh", "status": "in_progress"}
    html = text(client.post(plan_url(defined_round, f"{action.pk}/edit/"), data, follow=True))
    assert "“Monthly pipeline review” is updated." in html

    url = plan_url(defined_round, f"{action.pk}/status/")
    html = text(client.post(url, {"status": "done"}, follow=True))
    assert "“Monthly pipeline review” is now: Done." in html
    action.refresh_from_db()
    assert action.status == "done"

    html = text(client.post(url, {"status": "finished"}, follow=True))
    assert "That status does not exist." in html

    html = text(client.post(plan_url(defined_round, f"{action.pk}/delete/"), follow=True))
    assert "“Monthly pipeline review” is removed from the plan." in html
    assert not PlannedAction.objects.exists()


def test_open_actions_are_carried_over_to_the_next_round(client, company, manager):
    autumn = answered_round(company, "Autumn", sales=2, marketing=2, days_ago=180)
    spring = answered_round(company, "Spring", sales=3, marketing=2)
    add(autumn, title="Still going", status="in_progress")
    add(autumn, title="Finished long ago", status="done")
    add(spring, title="New this round")
    client.force_login(manager)

    html = text(client.get(f"/rounds/{spring.pk}/"))
    assert "Still going" in html and "Carried over from Autumn" in html
    assert "New this round" in html
    assert "Finished long ago" not in html

    older = text(client.get(plan_url(autumn)))
    assert "Finished long ago" in older and "New this round" not in older
    assert "Carried over" not in older


def test_a_member_of_two_companies_sees_only_this_companys_plan(client, company, manager):
    other = make_company(name="Other", slug="other")
    make_user("x@other.test", other)
    add(other.rounds.create(title="Theirs"), title="Their secret plan")
    round_ = answered_round(company, sales=3, marketing=2)
    client.force_login(manager)
    assert "Their secret plan" not in text(client.get(plan_url(round_)))


def test_the_move_to_aligned_shows_the_meeting_rules_the_liaison_caveat_and_rotation(
    client, defined_round, manager
):
    client.force_login(manager)
    html = text(client.get(plan_url(defined_round)))
    rules = html.split('id="steps-disciplined_communication"')[1].split("</dl>")[0]
    assert "Brand management joins any sales opportunity above a set size" in rules
    assert "No marketing material is signed off until salespeople have reviewed it." in rules
    assert "Marketing takes part in the reviews of the ten most important accounts." in rules
    assert "Give the liaison room: do not micromanage their work." in html
    assert "Rotate people between sales and marketing" in html
    assert 'id="integration-order"' not in html  # that belongs to the move to Integrated


def test_the_move_to_integrated_shows_the_order_the_funnel_and_measures_by_role(
    client, company, manager
):
    round_ = answered_round(company, sales=4, marketing=3)  # 80 and 60: combined 70, Aligned
    client.force_login(manager)
    html = text(client.get(plan_url(round_)))
    order = html.split('id="integration-order"')[1].split("</ol>")[0]
    assert order.index("First, simple joint activities") < order.index(
        "Then, processes and systems"
    )
    assert order.index("Then, processes and systems") < order.index("Last, culture")
    funnel = html.split('id="steps-shared_funnel"')[1].split("</dl>")[0]
    assert funnel.count("<dt>") == 7
    assert "Solution kits: templates and guides" in funnel
    assert "Criteria, agreed with sales, for what counts as a lead" in funnel
    measures = html.split('id="steps-integrated_metrics"')[1].split("</dl>")[0]
    for role in ("Sales", "Downstream marketing", "Upstream marketing", "Shared"):
        assert f"<dt>{role}</dt>" in measures
