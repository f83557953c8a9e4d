"""The dashboard's spreads, intervals, flags and release rule, from real rows in SQL."""

import datetime as dt
import re

import pytest

from scoring import queries
from survey.models import Respondent
from tests.factories import make_company, make_respondent, make_user, uniform
from tests.scoring.test_dashboard import answered_round, bulk_answered, dashboard  # noqa: F401


def page(client, round_) -> str:
    client.force_login(make_user("boss@acme.test", round_.company))
    return re.sub(r"\s+", " ", dashboard(client, round_).content.decode())


def test_the_spreads_and_intervals_equal_the_hand_computed_ones(client, answered_round):  # noqa: F811
    """sales scores 80, 60, 60, 60, 70: mean 66, SD sqrt(320 / 4) = 8.9, 95% interval
    66 +- t(4) 2.7764 * 8.944 / sqrt(5) = 66 +- 11.1 -> 54.9 to 77.1 (across 60).
    marketing 60, 40, 40, 60, 50: mean 50, SD 10, 50 +- 2.7764 * 4.472 -> 37.6 to 62.4.
    gap: se sqrt(16 + 20) = 6, Welch df 36^2 / (16^2/4 + 20^2/4) = 7.902 -> t(7.902) 2.31097
    (SciPy's t.ppf; not t(7) = 2.3646 of a floor(df) table): 16 +- 13.87 -> +2.1 to +29.9.
    combined: 58 +- 6.93 -> 51.1 to 64.9.
    statements 1-10: sales 4, 3, 3, 3, 4 -> SD sqrt(1.2 / 4) = 0.5; gap exactly 1.0, which
    is not over 1 point."""
    html = page(client, answered_round)

    assert "n = 5 · SD 8.9 · 95% interval 54.9 to 77.1" in html
    assert "n = 5 · SD 10.0 · 95% interval 37.6 to 62.4" in html
    assert "That is on the line between Defined and Aligned." in html
    assert "That is on the line between Undefined and Aligned." in html
    assert "95% interval of the gap: +2.1 to +29.9 points" in html
    assert "95% interval: 51.1 to 64.9." in html
    assert "Spread (SD): sales 0.5, marketing 0.5." in html
    assert "Gap over 1 point</span>" not in html
    stats = re.findall(r"<tr><th scope=\"row\">([^<]+)</th><td>(\d+)</td><td>([\d.]+)</td>", html)
    assert ("Sales: everyone", "5", "66.0") in stats
    assert ("Marketing: staff", "4", "47.5") in stats
    assert ("Sales: heads&#x27; view", "1", "80.0") in stats


def submit_in_order(round_, department: str, role: str, scores: list[int]) -> None:
    start = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    for minute, score in enumerate(scores):
        respondent, _ = make_respondent(round_, department, role, uniform(score // 20))
        Respondent.objects.filter(pk=respondent.pk).update(
            submitted_at=start + dt.timedelta(minutes=minute)
        )


def test_staff_count_in_whole_batches_of_k_in_the_order_they_answered(round_):
    # k = 5; seven sales staff answer: the first five count, the last two wait.
    submit_in_order(round_, "sales", "staff", [60, 60, 60, 60, 60, 100, 100])
    submit_in_order(round_, "sales", "leader", [80])

    rows = queries.round_rows(round_)
    histogram = {(r.role, r.score): r.respondents for r in rows.scores}
    cells = [c for c in rows.cells if c.role == "staff"]

    assert histogram == {("staff", 60): 5, ("leader", 80): 1}
    assert {(c.respondents, c.rating_sum, c.rating_squares) for c in cells} == {(5, 15, 45)}


def test_the_page_says_how_many_answers_wait_for_a_full_batch(client, round_):
    submit_in_order(round_, "sales", "staff", [60] * 6)

    html = page(client, round_)

    assert "Sales staff: 6 have answered, the figures count 5." in html
    assert "More will count when 10 have answered." in html
    assert "<strong>60.0</strong> · Aligned" in html


def test_a_fact_the_sides_disagree_on_is_flagged_as_one_to_check_together(client, round_):
    # statement 1 (the forecast): sales all 5, marketing all 2, a gap of 3 points.
    for department, first in (("sales", 5), ("marketing", 2)):
        for _ in range(5):
            make_respondent(round_, department, "staff", [first] + [3] * 19)

    html = page(client, round_)

    assert "A matter of fact: check the records together" in html
    assert html.count("Gap over 1 point</span>") == 1


def test_a_department_split_within_itself_is_flagged(client, round_):
    # statement 2: sales rate it 1, 1, 5, 5, 5 (SD 2.2); marketing agrees at 3.
    for rating in (1, 1, 5, 5, 5):
        make_respondent(round_, "sales", "staff", [3, rating] + [3] * 18)
    for _ in range(5):
        make_respondent(round_, "marketing", "staff", uniform(3))

    html = page(client, round_)

    assert "Sales disagrees within itself (SD 2.2)." in html
    assert "A matter of fact" not in html  # statement 2 is a perception


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_charts_are_svg_with_titles_in_the_readers_language(client, answered_round, language):  # noqa: F811
    client.force_login(make_user("boss@acme.test", answered_round.company))
    client.cookies["django_language"] = language
    html = dashboard(client, answered_round).content.decode()

    assert html.count('role="img"') == 4
    assert html.count("<title id=") == 4
    assert re.search(r'<circle class="mk mk-sales" cx="\d+\.\d" cy', html)  # no 150,5 in SVG


def test_the_threshold_is_read_from_one_place(round_):
    assert queries.anonymity_threshold(round_) == make_company.__defaults__[2] == 5
