import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from survey.models import Answer, Respondent
from survey.writes.services import RoundClosed
from tests.factories import close, make_respondent, uniform
from tests.insight_factories import answered_round


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def trend_rows(html: str) -> list[tuple[str, ...]]:
    table = re.search(r'id="trend-table">(.*?)</table>', html).group(1)
    return re.findall(
        r'<th scope="row">([^<]+)</th><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td>',
        table,
    )


def test_one_round_has_no_trend_yet(client, company, manager):
    round_ = answered_round(company, sales=3, marketing=2)
    client.force_login(manager)
    html = text(client.get(f"/rounds/{round_.pk}/trends/"))
    assert "Trends appear once the company has run a second round." in html


def test_levels_scores_and_gaps_per_round_with_a_chart_and_a_table(client, company, manager):
    answered_round(company, "Autumn", sales=2, marketing=2, days_ago=200)
    answered_round(company, "Winter", sales=3, marketing=3, marketing_staff=2, days_ago=100)
    spring = answered_round(company, "Spring", sales=4, marketing=3)
    client.force_login(manager)
    html = text(client.get(f"/rounds/{spring.pk}/trends/"))

    assert trend_rows(html) == [
        ("Autumn", "40.0", "40.0", "40.0", "0.0"),
        ("Winter", "–", "60.0", "–", "–"),  # marketing staff below k: hidden, as on its page
        ("Spring", "70.0", "80.0", "60.0", "+20.0"),
    ]
    # Only sales is shown in all three rounds; the other lines break at Winter into lone dots.
    chart = re.search(r'<svg[^>]*aria-labelledby="trend-title".*?</svg>', html).group(0)
    assert chart.count('<polyline points="') == 1
    assert chart.count("<circle ") == 2 + 3 + 2
    assert '<title id="trend-title">' in html
    # Winter does not show both departments, so no statement comparison is possible.
    assert "Statement gaps since Winter" in html
    assert "Not comparable: both rounds need both departments shown" in html


def test_each_statement_gap_closed_or_widened_since_the_previous_round(client, company, manager):
    autumn = answered_round(company, "Autumn", sales=4, marketing=2, days_ago=100)
    spring = answered_round(company, "Spring", sales=3, marketing=3, closed=False)
    # In spring statement 5 splits the departments further: sales 5, marketing 1.
    Answer.objects.filter(respondent__round=spring, statement=5).update(rating=5)
    Answer.objects.filter(
        respondent__round=spring, respondent__department="marketing", statement=5
    ).update(rating=1)
    close(spring)
    client.force_login(manager)
    html = text(client.get(f"/rounds/{spring.pk}/trends/"))
    changes = re.findall(r"<tr><td>(\d+)</td>.*?<td class=\"change-(\w+) text-nowrap\">", html)
    assert len(changes) == 20
    assert dict(changes)["5"] == "widened"  # |+2| -> |+4|
    assert dict(changes)["1"] == "closed"  # |+2| -> 0
    # An earlier round's page does not look into its future.
    assert "Trends appear once" in text(client.get(f"/rounds/{autumn.pk}/trends/"))


def test_the_dashboard_makes_as_many_queries_for_two_rounds_as_for_six(client, company, manager):
    client.force_login(manager)
    answered_round(company, "R0", days_ago=60)
    latest = answered_round(company, "Latest")
    url = f"/rounds/{latest.pk}/trends/"
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for index in range(4):
        answered_round(company, f"Older {index}", days_ago=100 + index)
    with CaptureQueriesContext(connection) as six:
        html = text(client.get(url))
    assert len(trend_rows(html)) == 6
    assert len(six) == len(two)  # every round's published results in one query


def test_the_chart_keeps_svg_numbers_unlocalised_in_vietnamese(client, company, manager):
    answered_round(company, "Autumn", sales=2, marketing=2, days_ago=200)
    spring = answered_round(company, "Spring", sales=4, marketing=3)
    client.force_login(manager)
    html = text(client.get(f"/rounds/{spring.pk}/trends/", headers={"accept-language": "vi"}))
    svg = re.search(r'<svg[^>]*aria-labelledby="trend-title".*?</svg>', html).group(0)
    numbers = re.findall(r' (?:x|y|x1|x2|y1|y2|cx|cy|width|height|points)="([^"]*)"', svg)
    assert numbers and not any("," in n and " " not in n for n in numbers)
    assert all(re.fullmatch(r"[\d. ,]+", n) for n in numbers)
    assert "Bán hàng: 80,0" in svg  # the tooltip text is still in the reader's format


def test_nothing_done_after_the_close_moves_a_published_figure(client, company, manager):
    autumn = answered_round(company, "Autumn", sales=2, marketing=2, days_ago=100)
    spring = answered_round(company, "Spring", sales=4, marketing=3)
    with pytest.raises(RoundClosed):  # a late answer is refused
        make_respondent(autumn, "sales", "staff", uniform(5))
    Respondent.objects.filter(round=autumn, department="sales", role="staff").first().delete()
    client.force_login(manager)

    html = text(client.get(f"/rounds/{spring.pk}/trends/"))

    assert trend_rows(html)[0] == ("Autumn", "40.0", "40.0", "40.0", "0.0")
    autumn_page = text(client.get(f"/rounds/{autumn.pk}/"))
    assert "6 respondents" in autumn_page  # the deleted person still counts, as published


def spread_round(company, title: str, days_ago: int, first: dict, second: dict):
    """Six people a department (the head first, then five staff): statements 1 and 2 rated
    as given per department, every other statement 3 by everyone."""
    round_ = company.rounds.create(title=title, opened_at=timezone.now() - timedelta(days=days_ago))
    for department in ("sales", "marketing"):
        for person in range(6):
            ratings = [first[department][person], second[department][person]] + [3] * 18
            make_respondent(round_, department, "leader" if person == 0 else "staff", ratings)
    return close(round_)


def test_a_change_within_the_noise_is_about_the_same_and_a_clear_one_is_labelled(
    client, company, manager
):
    """Statement 1: sales 5,5,5,5,1,1 (mean 3.67, variance 4.27) against marketing all 1,
    then sales 5,5,1,1,1,1 (same variance) against 1: the gap goes from 2.7 to 1.3, but
    se = sqrt(2 * 4.27 / 6) = 1.19, df = 10, half = 2.228 * 1.19 = 2.66 > 1.33: about the
    same. Statement 2: sales all 5 against marketing 1,1,1,1,2,2 (variance 0.267), then
    everyone 3: 3.7 to 0.0, se = sqrt(0.267 / 6) = 0.21, df = 5, half = 0.54: closed.
    The other 18 stay at 0.0: about the same."""
    spread_round(
        company, "Autumn", 100,
        {"sales": [5, 5, 5, 5, 1, 1], "marketing": [1] * 6},
        {"sales": [5] * 6, "marketing": [1, 1, 1, 1, 2, 2]},
    )  # fmt: skip
    spring = spread_round(
        company, "Spring", 0,
        {"sales": [5, 5, 1, 1, 1, 1], "marketing": [1] * 6},
        {"sales": [3] * 6, "marketing": [3] * 6},
    )  # fmt: skip
    client.force_login(manager)
    html = text(client.get(f"/rounds/{spring.pk}/trends/"))

    rows = re.findall(
        r"<tr><td>(\d+)</td><td>[^<]*</td><td>([^<]+)</td><td>([^<]+)</td>"
        r" ?<td class=\"change-(\w+) text-nowrap\">([^<]+)</td>",
        html,
    )
    by_statement = {number: rest for number, *rest in rows}
    assert len(by_statement) == 20
    assert by_statement["1"] == ["2.7", "1.3", "same", "about the same"]
    assert by_statement["2"] == ["3.7", "0.0", "closed", "closed"]
    assert {tuple(by_statement[str(n)]) for n in range(3, 21)} == {
        ("0.0", "0.0", "same", "about the same")
    }
    assert "Closed or widened only when the gap's size changed by more than the noise" in html
    assert "leaves out zero, and the two gaps shown differ in size. Otherwise: about the same." in (
        html
    )

    vietnamese = text(client.get(f"/rounds/{spring.pk}/trends/", headers={"accept-language": "vi"}))
    assert "Chỉ ghi thu hẹp hoặc nới rộng khi độ lớn của khoảng cách thay đổi nhiều hơn" in (
        vietnamese
    )
    assert '<td class="change-same text-nowrap">gần như không đổi</td>' in vietnamese
    assert '<td class="change-closed text-nowrap">thu hẹp</td>' in vietnamese
