"""Published figures through the real pages: a changed answer moves nothing until it can be
shown together with k people's changes; heads' changes show at once; and what a view costs
does not grow with the number of respondents."""

import csv
import io
import json
import re
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from scoring.models import GroupRelease
from survey.models import Respondent
from survey.services import close_round, reopen_round
from tests.factories import make_company, make_respondent, make_user, post_data, uniform
from tests.scoring.test_dashboard import bulk_answered

K = 5


def ratings(rating: int) -> dict[int, int]:
    return dict(enumerate(uniform(rating), start=1))


@pytest.fixture
def rounds(company):
    """k = 5. Autumn, closed: everyone 3s. Spring, open: heads 4s, five staff per department
    3s; their links are in `spring.tokens`."""
    autumn = company.rounds.create(title="Autumn")
    autumn.opened_at -= timedelta(days=100)
    autumn.save(update_fields=["opened_at"])
    spring = company.rounds.create(title="Spring")
    spring.tokens = {}
    for round_ in (autumn, spring):
        for department in ("sales", "marketing"):
            _, token = make_respondent(round_, department, "leader", uniform(4))
            spring.tokens[department, "leader"] = [token]
            staff = [make_respondent(round_, department, "staff", uniform(3))[1] for _ in range(K)]
            spring.tokens[department, "staff"] = staff
    return autumn, spring


def edit(client: Client, token: str, rating: int) -> None:
    assert client.post(f"/s/{token}/", post_data(ratings(rating))).status_code == 302


def newcomers(round_, department: str, count: int, rating: int = 3) -> None:
    for _ in range(count):
        make_respondent(round_, department, "staff", uniform(rating))


def published(client: Client, round_) -> tuple[dict, list, str]:
    """What a leader sees: summary.json, the trend table's rows and the dashboard."""
    html = re.sub(r"\s+", " ", client.get(f"/rounds/{round_.pk}/").content.decode())
    summary = json.loads(client.get(f"/rounds/{round_.pk}/summary.json").content)
    table = re.search(r'id="trend-table">(.*?)</table>', html).group(1)
    trend = re.findall(r'<th scope="row">([^<]+)</th>((?:<td>[^<]*</td>)+)', table)
    return summary, trend, html


def figures_only(html: str) -> str:
    """The dashboard without the note on waiting answers and changes, the counts of who has
    answered, which are live, and the form tokens."""
    html = re.sub(r'<div class="release-note".*?</div>', "", html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r"\s+", " ", re.sub(r"\d+ respondents?", "", html))


def test_a_counted_staff_members_change_moves_nothing_until_k_people_have_changed(
    client, company, rounds, manager
):
    autumn, spring = rounds
    leader = make_user("lead@acme.test", company)
    client.force_login(leader)
    before, trend_before, html_before = published(client, spring)
    assert before["departments"]["sales"]["staff"]["score"] == 60.0

    edit(Client(), spring.tokens["sales", "staff"][0], 5)  # one person: 60 -> 100
    after, trend_after, html_after = published(client, spring)

    assert after == before
    assert trend_after == trend_before
    assert figures_only(html_after) == figures_only(html_before)
    assert "Some staff have changed answers that these figures already count." in html_after
    assert "at least 5 people in the same group" in html_after

    close_round(round=spring)  # closing releases nothing
    spring.refresh_from_db()
    assert published(client, spring)[0]["departments"] == before["departments"]
    reopen_round(round=spring)

    newcomers(spring, "sales", K)  # k newcomers are counted, with 3s; the change still waits
    summary, _, _ = published(client, spring)
    assert summary["departments"]["sales"]["staff"]["respondents"] == 10
    assert summary["departments"]["sales"]["staff"]["score"] == 60.0

    for token in spring.tokens["sales", "staff"][1:]:  # four more people change: five in all
        edit(Client(), token, 5)
    summary, trend, html = published(client, spring)
    assert summary["departments"]["sales"]["staff"]["score"] == 80.0  # (5 x 100 + 5 x 60) / 10
    assert trend[-1][0] == "Spring" and trend[-1] != trend_before[-1]
    assert "Some staff have changed answers" not in html


def test_the_same_answers_submitted_again_are_not_a_change(client, rounds, manager):
    _, spring = rounds
    client.force_login(manager)
    published(client, spring)
    for token in spring.tokens["sales", "staff"][:4]:
        edit(Client(), token, 3)
    edit(Client(), spring.tokens["sales", "staff"][4], 5)  # the only real change

    summary, _, html = published(client, spring)

    assert summary["departments"]["sales"]["staff"]["score"] == 60.0
    assert "Some staff have changed answers" in html


def test_a_heads_change_shows_at_once(client, rounds, manager):
    _, spring = rounds
    client.force_login(manager)
    before = published(client, spring)[0]
    assert before["departments"]["sales"]["leaders"]["score"] == 80.0

    edit(Client(), spring.tokens["sales", "leader"][0], 5)

    summary, _, html = published(client, spring)
    assert summary["departments"]["sales"]["leaders"]["score"] == 100.0
    assert summary["departments"]["sales"]["total"]["score"] == 66.7  # (100 + 5 x 60) / 6
    assert "Some staff have changed answers" not in html


def answer_rows(client, round_) -> list[list[str]]:
    response = client.get(f"/rounds/{round_.pk}/answers.csv")
    return sorted(csv.reader(io.StringIO(response.content.decode())))


def test_the_answers_file_keeps_the_published_rows_until_the_figures_change(
    client, rounds, manager
):
    _, spring = rounds
    client.force_login(manager)
    first = answer_rows(client, spring)
    staff_tokens = spring.tokens["sales", "staff"]

    edit(Client(), staff_tokens[0], 5)
    assert answer_rows(client, spring) == first  # a day later: the same file

    for token in staff_tokens[1:]:
        edit(Client(), token, 1)
    rows = answer_rows(client, spring)
    sales_staff = [r for r in rows if r[:2] == ["sales", "staff"]]
    assert sorted(r[-1] for r in sales_staff) == ["100", "20", "20", "20", "20"]
    before, now = Counter(map(tuple, first)), Counter(map(tuple, rows))
    assert (before - now).total() == (now - before).total() == K  # k rows left, k came


def seed_views(client, round_, size: int) -> tuple[int, int]:
    """Queries of a page view after `size` answers, and of the view that releases k more."""
    bulk_answered(round_, size)
    client.get(f"/rounds/{round_.pk}/")  # the first view releases the answers so far
    with CaptureQueriesContext(connection) as steady:
        assert client.get(f"/rounds/{round_.pk}/").status_code == 200
    start = Respondent.objects.count()
    for department in ("sales", "marketing"):
        newcomers(round_, department, K)
    with CaptureQueriesContext(connection) as release:
        page = client.get(f"/rounds/{round_.pk}/").content.decode()
    assert Respondent.objects.count() == start + 2 * K
    assert f"{size // 2 + K} respondents" in page
    return len(steady), len(release)


def test_views_make_as_many_queries_at_1000_respondents_as_at_10(client, db):
    counts = []
    for size in (10, 1000):
        company = make_company(name=f"Size {size}", slug=f"size-{size}")
        client.force_login(make_user(f"boss@{size}.test", company))
        counts.append(seed_views(client, company.rounds.create(title="Spring"), size))
    small, large = counts
    assert large == small
    assert small[1] > small[0]  # the release view does more work, the same at any size


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_views_release_each_group_once():
    company = make_company()
    round_ = company.rounds.create(title="Race")
    for department in ("sales", "marketing"):
        make_respondent(round_, department, "leader", uniform(4))
        for _ in range(K):
            make_respondent(round_, department, "staff", uniform(3))
    user = make_user("boss@acme.test", company)
    start = threading.Barrier(3)
    statuses: list[int] = []

    def view():
        try:
            client = Client()
            client.force_login(user)
            start.wait()
            statuses.append(client.get(f"/rounds/{round_.pk}/").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=view) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200, 200, 200]
    releases = GroupRelease.objects.filter(round=round_)
    assert releases.count() == 4
    assert sorted(releases.values_list("respondents", flat=True)) == [1, 1, K, K]
