""" "On the line" is decided from the interval as the reader sees it: the ends rounded once,
to one decimal, half away from zero (scoring.core.rounding), then classified by the band edges.

Sales' staff scores below were found by search so that an interval's end lies within 0.05
of a band edge: 60, 61, 61, 61 give 59.954 to 61.546, shown as 60.0 to 61.5, all Aligned;
67, 72, 74 give 62.04 to 79.957, shown as 62.0 to 80.0, which reaches Integrated.
"""

import re

import pytest

from scoring.core.stats import Interval, mean_interval, summarise
from tests.factories import close, make_company, make_respondent, make_user


def ratings_for(score: int) -> list[int]:
    """20 ratings 1..5 that add up to `score`."""
    base, extra = divmod(score, 20)
    return [base + 1] * extra + [base] * (20 - extra)


def groups_tab(client, sales_scores: tuple[int, ...]) -> str:
    company = make_company(slug=f"line-{len(sales_scores)}", threshold=3)
    round_ = company.rounds.create(title="Edges")
    for score in sales_scores:
        make_respondent(round_, "sales", "staff", ratings_for(score))
    for score in (44, 48, 50):
        make_respondent(round_, "marketing", "staff", ratings_for(score))
    close(round_)
    client.force_login(make_user(f"boss-{company.slug}@acme.test", company))
    response = client.get(f"/rounds/{round_.pk}/groups/")
    assert response.status_code == 200
    html = re.sub(r"\s+", " ", response.content.decode())
    return re.search(r'id="dept-sales">(.*?)</table>', html).group(1)


def interval_of(scores: tuple[int, ...]) -> Interval:
    found = mean_interval(summarise(len(scores), sum(scores), sum(s * s for s in scores)))
    assert found is not None
    return found


@pytest.mark.django_db
def test_an_end_just_under_60_shown_as_60_0_is_not_on_the_line(client):
    scores = (60, 61, 61, 61)
    exact = interval_of(scores)
    assert 59.95 <= exact.low < 60  # below the edge, but shown as 60.0
    sales = groups_tab(client, scores)
    assert "95% interval 60.0 to 61.5" in sales
    assert "on the line" not in sales


@pytest.mark.django_db
def test_an_end_just_under_80_shown_as_80_0_is_on_the_line(client):
    scores = (67, 72, 74)
    exact = interval_of(scores)
    assert 79.95 <= exact.high < 80  # below the edge, but shown as 80.0
    sales = groups_tab(client, scores)
    assert "95% interval 62.0 to 80.0" in sales
    assert "That is on the line between Aligned and Integrated." in sales
