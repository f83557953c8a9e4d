import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from survey.models import Answer, Respondent
from tests.factories import close, make_company, make_respondent, make_user, uniform

HIGH_THEN_MID = [4] * 10 + [3] * 10  # 70
LOW_THEN_MID = [2] * 10 + [3] * 10  # 50


@pytest.fixture
def answered_round(db):
    """Five people per department, k = 4. Hand-computed:

    sales: head 80; staff 60, 60, 60, 70 -> staff 62.5; department (80 + 250) / 5 = 66.0
    marketing: head 60; staff 40, 40, 60, 50 -> staff 47.5; department (60 + 190) / 5 = 50.0
    combined (66 + 50) / 2 = 58.0 Defined; gap 66 - 50 = +16.0
    statements 1-10: sales (4+3+3+3+4)/5 = 3.4, marketing (3+2+2+3+2)/5 = 2.4, gap +1.0
    statements 11-20: sales (4+3+3+3+3)/5 = 3.2, marketing (3+2+2+3+3)/5 = 2.6, gap +0.6
    """
    company = make_company(threshold=4)
    round_ = company.rounds.create(title="Autumn")
    people = [
        ("sales", "leader", uniform(4)),
        *[("sales", "staff", uniform(3))] * 3,
        ("sales", "staff", HIGH_THEN_MID),
        ("marketing", "leader", uniform(3)),
        *[("marketing", "staff", uniform(2))] * 2,
        ("marketing", "staff", uniform(3)),
        ("marketing", "staff", LOW_THEN_MID),
    ]
    for department, role, ratings in people:
        make_respondent(round_, department, role, ratings)
    make_respondent(round_, "sales", "staff")  # invited, not answered: not counted
    return close(round_)


def dashboard(client, round_, tab=""):
    return client.get(f"/rounds/{round_.pk}/{tab}")


def flat(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_anonymous_visitors_are_sent_to_log_in(client, round_):
    response = dashboard(client, round_)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_another_companys_user_gets_a_404(client, round_, outsider):
    client.force_login(outsider)
    assert dashboard(client, round_).status_code == 404


def test_a_member_sees_the_dashboard(client, round_, manager):
    client.force_login(manager)
    assert dashboard(client, round_).status_code == 200


def test_an_open_round_shows_response_rates_never_scores(client, round_, manager):
    for _ in range(5):
        make_respondent(round_, "sales", "staff", uniform(4))
    client.force_login(manager)
    html = dashboard(client, round_).content.decode()
    assert "Results are published when the round closes" in html
    assert "Response rates" in html
    assert "80.0" not in html and "Integrated" not in html


def test_the_dashboard_only_answers_get(client, round_, manager):
    client.force_login(manager)
    assert client.post(f"/rounds/{round_.pk}/").status_code == 405


def test_the_figures_equal_the_hand_computed_ones(client, answered_round):
    client.force_login(make_user("boss@acme.test", answered_round.company))
    html = flat(dashboard(client, answered_round))  # the overview

    assert re.search(r">58\.0</span> <span[^>]*>/ 100</span> · <span[^>]*>Defined<", html)
    assert re.search(r'id="dept-sales">.*?66\.0 <span[^>]*>· Aligned', html)
    assert re.search(r'id="dept-marketing">.*?50\.0 <span[^>]*>· Defined', html)
    assert "5 respondents" in html
    assert "Sales rates the relationship 16.0 points higher than marketing does." in html
    assert "The heads rate it 17.5 points higher than their staff." in html
    assert "The heads rate it 12.5 points higher than their staff." in html
    top = re.search(r'id="top-statements">(.*?)</ol>', html).group(1)
    assert re.findall(r"Statement (\d+):", top) == ["1", "2", "3"]  # gap +1.0, ties by number
    assert top.count("Sales 3.4 · Marketing 2.4 (of 5)") == 3
    assert "Answer the guide" in html and "No actions planned yet." in html

    html = flat(dashboard(client, answered_round, "groups/"))  # heads and staff
    assert re.search(r'id="dept-sales">.*?66\.0 <span[^>]*>· Aligned', html)
    assert "The heads rate it 17.5 points higher than their staff." in html
    assert "<strong>80.0</strong> · Integrated" in html  # sales heads' view
    assert "<strong>62.5</strong> · Aligned" in html  # sales staff
    assert "<strong>47.5</strong> · Defined" in html  # marketing staff

    html = flat(dashboard(client, answered_round, "statements/"))
    rows = re.findall(
        r"<tr> <td>(\d+)</td>.*?<td>([\d.]+)</td> <td>([\d.]+)</td> <td[^>]*>([+\d.-]+)</td>", html
    )
    assert len(rows) == 20
    assert rows[0] == ("1", "3.4", "2.4", "+1.0")
    assert rows[9] == ("10", "3.4", "2.4", "+1.0")
    assert rows[10] == ("11", "3.2", "2.6", "+0.6")
    assert "Sales rates this 1.0 points higher." in html


def test_a_group_below_the_threshold_says_so_and_never_shows_zero(client, round_, manager):
    make_respondent(round_, "sales", "leader", uniform(4))
    for _ in range(2):
        make_respondent(round_, "sales", "staff", uniform(3))
    close(round_)
    client.force_login(manager)
    overview = dashboard(client, round_).content.decode()
    html = dashboard(client, round_, "groups/").content.decode()

    assert "Not enough answers to show" in overview
    assert "60.0" not in overview and "3 respondents" not in overview
    assert "<strong>0" not in overview and ">0.0" not in overview
    assert "not enough answers to show" in html
    assert "Not enough answers to show" in html
    assert "<strong>80.0</strong> · Integrated" in html  # the heads' view is shown
    assert "60.0" not in html  # the staff mean stays hidden
    assert "Staff (2)" not in html and "3 respondents" not in html  # nor how many answered
    assert "<strong>0" not in html and ">0.0" not in html


def bulk_answered(round_, count: int) -> None:
    now = timezone.now()
    respondents = Respondent.objects.bulk_create(
        Respondent(
            round=round_,
            department=("sales", "marketing")[i % 2],
            role="staff",
            key=f"{round_.pk}-{i}".ljust(22, "x"),
            submitted_at=now,
            claimed_via="email",
        )
        for i in range(count)
    )
    Answer.objects.bulk_create(
        Answer(respondent=r, statement=n, rating=1 + (n + r.pk) % 5)
        for r in respondents
        for n in range(1, 21)
    )


@pytest.mark.parametrize("few,many", [(10, 1000)])
def test_a_closed_rounds_page_costs_the_same_queries_at_any_size(
    client, company, manager, few, many
):
    client.force_login(manager)
    # One open round per company: each is answered and closed before the next opens.
    small = company.rounds.create(title="Small")
    bulk_answered(small, few)
    close(small)
    large = company.rounds.create(title="Large")
    bulk_answered(large, many)
    close(large)
    dashboard(client, small), dashboard(client, large)  # sessions and the like, once
    with CaptureQueriesContext(connection) as queries_for_few:
        assert dashboard(client, small).status_code == 200
    with CaptureQueriesContext(connection) as queries_for_many:
        page = dashboard(client, large).content.decode()
    assert f"{many // 2} respondents" in page
    assert len(queries_for_many) == len(queries_for_few)


TABS = ["statements/", "groups/", "spread/", "trends/", "downloads/"]


@pytest.mark.parametrize("tab", TABS)
def test_each_detail_has_its_own_tab_and_url(client, answered_round, tab):
    client.force_login(make_user("boss@acme.test", answered_round.company))
    html = flat(dashboard(client, answered_round, tab))
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', html)
    assert current == [f"/rounds/{answered_round.pk}/{tab}"]  # the tab says where you are
    assert f'href="/rounds/{answered_round.pk}/"' in html  # and the overview is one click away


@pytest.mark.parametrize("tab", TABS)
def test_an_open_rounds_tabs_lead_to_its_response_rates(client, round_, manager, tab):
    client.force_login(manager)
    response = dashboard(client, round_, tab)
    assert response.status_code == 302 and response["Location"] == f"/rounds/{round_.pk}/"
