"""The next round shows, per earlier action, whether the gap on its statements closed,
by the trend labels' rule (scoring.trends.gap_change), on the plan and the action's page."""

import re

from scoring.models import PlannedAction
from survey.models import Answer
from tests.factories import close
from tests.insight_factories import answered_round

# The playbook's "disciplined communication" works on statements 5, 7, 8, 10 and 13.
KEY = "disciplined_communication"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def changes(html: str) -> dict[str, str]:
    rows = re.findall(r"<tr><td>(\d+)</td>.*?<td class=\"change-(\w+) text-nowrap\">", html)
    return dict(rows)


def rate(survey_round, statement: int, sales: int, marketing: int) -> None:
    for department, rating in (("sales", sales), ("marketing", marketing)):
        Answer.objects.filter(
            respondent__round=survey_round, respondent__department=department, statement=statement
        ).update(rating=rating)


def test_an_earlier_actions_statements_closed_stayed_or_widened_in_the_next_round(
    client, company, manager
):
    autumn = answered_round(company, "Autumn", sales=4, marketing=2, days_ago=100)  # gaps +2
    done = PlannedAction.objects.create(
        company=company, round=autumn, playbook_key=KEY, status=PlannedAction.Status.DONE
    )
    spring = answered_round(company, "Spring", sales=3, marketing=3, closed=False)  # gaps 0
    rate(spring, 5, sales=5, marketing=1)  # +2 -> +4: widened
    rate(spring, 7, sales=4, marketing=2)  # +2 -> +2: about the same
    close(spring)
    PlannedAction.objects.create(company=company, round=spring, title="New this round")
    client.force_login(manager)

    plan = text(client.get(f"/rounds/{spring.pk}/plan/"))
    section = re.search(r'<section [^>]*id="action-gaps">(.*?)</section>', plan).group(1)
    assert "Planned in Autumn · Done" in section  # a done action is the one to read
    assert changes(section) == {
        "5": "widened",
        "7": "same",
        "8": "closed",
        "10": "closed",
        "13": "closed",
    }
    assert "statements whose gap closed: 3, about the same: 1, widened: 1" in section
    assert "more than the noise of the two rounds" in section  # the rule, in a caption
    assert "New this round" not in section

    page = text(client.get(f"/rounds/{spring.pk}/plan/{done.pk}/"))
    assert "Did the gaps close? From Autumn to Spring" in page
    assert changes(page)["5"] == "widened" and changes(page)["8"] == "closed"
    # The round the action was planned in does not look into its future.
    assert 'id="action-gaps"' not in text(client.get(f"/rounds/{autumn.pk}/plan/"))
    assert 'id="action-gaps"' not in text(client.get(f"/rounds/{autumn.pk}/plan/{done.pk}/"))


def test_a_round_without_both_departments_compares_nothing(client, company, manager):
    autumn = answered_round(company, "Autumn", sales=4, marketing=2, days_ago=100)
    PlannedAction.objects.create(company=company, round=autumn, playbook_key=KEY)
    spring = answered_round(company, "Spring", marketing_staff=2)  # marketing below k
    client.force_login(manager)

    plan = text(client.get(f"/rounds/{spring.pk}/plan/"))
    assert plan.count("Not compared: a round does not show both departments.") == 5
    assert "statements whose gap closed" not in plan
    assert changes(plan) == {}


def test_an_open_round_shows_no_gaps_yet(client, company, manager):
    autumn = answered_round(company, "Autumn", sales=4, marketing=2, days_ago=100)
    PlannedAction.objects.create(company=company, round=autumn, playbook_key=KEY)
    spring = answered_round(company, "Spring", closed=False)
    client.force_login(manager)
    assert 'id="action-gaps"' not in text(client.get(f"/rounds/{spring.pk}/plan/"))
