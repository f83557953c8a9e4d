"""The dashboard's spreads, intervals and flags, from real rows in SQL, once published."""

import re

import pytest

from scoring.results.published import published
from tests.factories import close, make_respondent, make_user, uniform
from tests.scoring.test_dashboard import answered_round, bulk_answered, dashboard  # noqa: F401


def page(client, round_, tab="") -> str:
    if round_.closed_at is None:
        close(round_)
    if "_auth_user_id" not in client.session:
        client.force_login(make_user("boss@acme.test", round_.company))
    return re.sub(r"\s+", " ", dashboard(client, round_, tab).content.decode())


def test_the_spreads_and_intervals_equal_the_hand_computed_ones(client, answered_round):  # noqa: F811
    """sales scores 80, 60, 60, 60, 70: mean 66, SD sqrt(320 / 4) = 8.9, 95% interval
    66 +- t(4) 2.7764 * 8.944 / sqrt(5) = 66 +- 11.1 -> 54.9 to 77.1 (across 60).
    marketing 60, 40, 40, 60, 50: mean 50, SD 10, 50 +- 2.7764 * 4.472 -> 37.6 to 62.4.
    gap: se sqrt(16 + 20) = 6, Welch df 36^2 / (16^2/4 + 20^2/4) = 7.902 -> t(7.902) 2.31097
    (SciPy's t.ppf; not t(7) = 2.3646 of a floor(df) table): 16 +- 13.87 -> +2.1 to +29.9.
    combined: 58 +- 6.93 -> 51.1 to 64.9.
    statements 1-10: sales 4, 3, 3, 3, 4 -> SD sqrt(1.2 / 4) = 0.5; gap exactly 1.0, which
    is not over 1 point."""
    html = page(client, answered_round, "groups/")

    assert "n = 5 · SD 8.9 · 95% interval 54.9 to 77.1" in html
    assert "n = 5 · SD 10.0 · 95% interval 37.6 to 62.4" in html
    assert "That is on the line between Defined and Aligned." in html
    assert "That is on the line between Undefined and Aligned." in html
    stats = re.findall(r"<tr><th scope=\"row\">([^<]+)</th><td>(\d+)</td><td>([\d.]+)</td>", html)
    assert ("Sales: everyone", "5", "66.0") in stats
    assert ("Marketing: staff", "4", "47.5") in stats
    assert ("Sales: heads&#x27; view", "1", "80.0") in stats
    assert "95% interval: 51.1 to 64.9." in page(client, answered_round)  # the overview
    html = page(client, answered_round, "statements/")
    assert "95% interval of the gap: +2.1 to +29.9 points" in html
    assert "Spread (SD): sales 0.5, marketing 0.5." in html
    assert "Gap over 1 point</span>" not in html


def test_every_answer_given_before_the_close_counts(client, round_):
    # k = 5; seven sales staff answer: all seven count (no batches any more).
    for score in [60, 60, 60, 60, 60, 100, 100]:
        make_respondent(round_, "sales", "staff", uniform(score // 20))
    make_respondent(round_, "sales", "leader", uniform(4))
    make_respondent(round_, "sales", "staff")  # invited, never answered

    html = page(client, round_, "groups/")

    result = published(round_)
    assert result is not None and result.respondents[("sales", "staff")] == 7
    histogram = {(r.role, r.score): r.respondents for r in result.scores}
    assert histogram == {("staff", 60): 5, ("staff", 100): 2, ("leader", 80): 1}
    assert "<strong>71.4</strong> · Aligned" in html  # (5 x 60 + 2 x 100) / 7


def test_a_fact_the_sides_disagree_on_is_flagged_as_one_to_check_together(client, round_):
    # statement 1 (the forecast): sales all 5, marketing all 2, a gap of 3 points.
    for department, first in (("sales", 5), ("marketing", 2)):
        for _ in range(5):
            make_respondent(round_, department, "staff", [first] + [3] * 19)

    html = page(client, round_, "statements/")

    assert "A matter of fact: check the records together" in html
    assert html.count("Gap over 1 point</span>") == 1


def test_a_department_split_within_itself_is_flagged(client, round_):
    # statement 2: sales rate it 1, 1, 5, 5, 5 (SD 2.2); marketing agrees at 3.
    for rating in (1, 1, 5, 5, 5):
        make_respondent(round_, "sales", "staff", [3, rating] + [3] * 18)
    for _ in range(5):
        make_respondent(round_, "marketing", "staff", uniform(3))

    html = page(client, round_, "statements/")

    assert "Sales disagrees within itself (SD 2.2)." in html
    assert "A matter of fact" not in html  # statement 2 is a perception


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_charts_are_svg_with_titles_in_the_readers_language(client, answered_round, language):  # noqa: F811
    client.force_login(make_user("boss@acme.test", answered_round.company))
    client.cookies["django_language"] = language
    html = "".join(
        dashboard(client, answered_round, tab).content.decode()
        for tab in ("", "statements/", "groups/", "spread/")
    )

    # four charts, each drawn wide and narrow (for phones), each with its own title
    assert html.count('role="img"') == 8
    assert html.count("<title id=") == 8
    assert html.count('class="chart chart-narrow"') == 4
    assert re.search(r'<circle class="mk mk-sales" cx="\d+\.\d" cy', html)  # no 150,5 in SVG
