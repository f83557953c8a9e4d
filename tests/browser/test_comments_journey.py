"""Answering with comments on a phone by keyboard, and reading them on the results, with axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from survey.models import Comment, Company, Respondent
from survey.writes.services import submit_answers
from tests.browser.conftest import SCREENSHOTS
from tests.browser.pages import LAPTOP, PHONE, log_in
from tests.factories import close, close_open_round, make_respondent, uniform

pytestmark = pytest.mark.browser

WCAG_A_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page: Page, context: dict | None = None) -> None:
    """No WCAG 2.1 A or AA violation that axe-core can find on the page as it is now (or in
    the parts named by `context`)."""
    results = Axe().run(page, context=context, options=WCAG_A_AA)
    problems = [
        (v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3])
        for v in results.response["violations"]
    ]
    assert problems == [], problems


def test_a_staff_member_answers_with_comments_on_a_phone_by_keyboard(page, demo, screenshot):
    link = next(url for url, language in demo["links"] if language == "English")
    page.set_viewport_size(PHONE)
    page.goto(link)
    page.get_by_role("button", name="Start the survey").focus()
    page.keyboard.press("Enter")
    expect(page.locator("details.why")).to_have_count(20)
    assert_accessible(page)

    page.locator("#s1-1").focus()
    for number in range(1, 21):
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")  # a 2 for every statement
        page.keyboard.press("Tab")  # to "Why? (optional)"
        if number in (1, 2):
            page.keyboard.press("Enter")  # opens the box
            page.keyboard.press("Tab")
            page.keyboard.type(f"=Because of statement {number} <b>really</b>")
        page.keyboard.press("Tab")
    expect(page.locator("details.why[open]")).to_have_count(2)
    page.keyboard.type("Aligned")  # the guess: type-ahead picks the option
    expect(page.locator("#guess")).to_have_value("aligned")
    page.keyboard.press("Tab")
    page.keyboard.type("Meet every Monday")
    screenshot("survey-comments-en-360")
    page.locator("#statement-1").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "survey-comments-open-en-360.png"))
    page.locator("#guess-question").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "survey-end-questions-en-360.png"))
    assert_accessible(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your answers are saved")
    respondent = Respondent.objects.get(comments__statement=0)
    assert dict(respondent.comments.values_list("statement", "text")) == {
        1: "=Because of statement 1 <b>really</b>",
        2: "=Because of statement 2 <b>really</b>",
        0: "Meet every Monday",
    }
    assert respondent.guess == "aligned"


def test_the_survey_in_vietnamese_with_a_comment_open(page, demo, screenshot):
    link = next(url for url, language in demo["links"] if language == "Vietnamese")
    page.set_viewport_size(PHONE)
    page.goto(link)
    page.get_by_role("button", name="Bắt đầu khảo sát").click()
    page.locator("#statement-3 summary").click()
    page.locator("#c3").fill("Khách hàng tiềm năng nguội đi sau một tuần")
    screenshot("survey-comments-vi-360")
    page.locator("#statement-3").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "survey-comments-open-vi-360.png"))
    page.locator("#privacy summary").click()  # the full rules, one tap away
    page.locator("#privacy").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "survey-privacy-vi-360.png"))
    assert_accessible(page)


def round_with_voices(company: Company):
    """Six sales and six marketing staff and both heads, with comments and guesses."""
    close_open_round(company)  # the demo's: one open round per company
    survey_round = company.rounds.create(title="Autumn, with comments")
    people = [("sales", "leader", 3, "defined"), ("marketing", "leader", 4, "aligned")]
    people += [("sales", "staff", 3, "defined")] * 6 + [("marketing", "staff", 4, "undefined")] * 6
    for i, (department, role, rating, guess) in enumerate(people):
        # At the demo company's verified domain: they count toward k.
        email = f"{department}.{role}.{i}@demo.example"
        respondent, _ = make_respondent(survey_round, department, role, email=email)
        comments = {}
        if role == "leader":
            comments[1] = "We agree the forecast in one meeting; it is not enough."
        elif department == "sales":
            comments[1] = f"<script>alert({i})</script> The forecast comes too late ({i})"
            comments[0] = f"Share one lead list ({i})"
        submit_answers(
            respondent=respondent,
            ratings=dict(enumerate(uniform(rating), start=1)),
            comments=comments,
            guess=guess,
        )
    return close(survey_round)


@pytest.mark.parametrize(("language", "size"), [("en", LAPTOP), ("vi", PHONE)])
def test_the_results_show_comments_and_guesses(page, demo, screenshot, language, size):
    survey_round = round_with_voices(Company.objects.get(slug="demo"))
    page.set_viewport_size(size)
    log_in(page, demo)
    if language == "vi":
        page.get_by_role("button", name="Tiếng Việt").click()
    base = demo["dashboard"].rsplit("/rounds/", 1)[0] + f"/rounds/{survey_round.pk}/"
    page.goto(base)  # the overview: each side's guess of the other
    expect(page.locator("#guess-table tbody tr")).to_have_count(4)
    page.locator("#guesses").screenshot(
        path=str(SCREENSHOTS / f"results-guesses-{language}-{size['width']}.png")
    )
    assert_accessible(page)
    page.goto(base + "statements/")  # comments sit with the statements they explain
    comments = page.locator("#comments")
    expect(comments.locator("ul.comments li")).to_have_count(6 + 2 + 6)
    assert page.evaluate("() => document.querySelectorAll('#comments script').length") == 0
    comments.screenshot(path=str(SCREENSHOTS / f"results-comments-{language}-{size['width']}.png"))
    assert_accessible(page)
    assert Comment.objects.count() >= 14


@pytest.mark.parametrize(("language", "size"), [("en", LAPTOP), ("vi", PHONE)])
def test_a_small_team_sees_the_heads_side_by_side_and_its_pooled_staff(page, demo, language, size):
    """k = 5 in the demo company: 3 sales and 2 marketing staff are each below it, and
    their pool of 5 reaches it."""
    company = Company.objects.get(slug="demo")
    close_open_round(company)  # the demo's: one open round per company
    survey_round = company.rounds.create(title="A small team")
    for department, role, rating, n in (
        ("sales", "leader", 4, 1),
        ("marketing", "leader", 2, 1),
        ("sales", "staff", 3, 3),
        ("marketing", "staff", 3, 2),
    ):
        for i in range(n):
            email = f"{department}.{role}.{i}@demo.example"  # the demo's verified domain
            respondent, _ = make_respondent(survey_round, department, role, email=email)
            ratings = dict(enumerate(uniform(rating), start=1))
            submit_answers(respondent=respondent, ratings=ratings, guess="defined")
    close(survey_round)
    page.set_viewport_size(size)
    log_in(page, demo)
    if language == "vi":
        page.get_by_role("button", name="Tiếng Việt").click()
    page.goto(demo["dashboard"].rsplit("/rounds/", 1)[0] + f"/rounds/{survey_round.pk}/")
    section = page.locator("#small-team")
    expect(section.locator("#heads-table tbody tr")).to_have_count(20)
    expect(section.locator("#pooled-level")).to_contain_text("60.0" if language == "en" else "60,0")
    section.screenshot(path=str(SCREENSHOTS / f"results-small-team-{language}-{size['width']}.png"))
    assert_accessible(page, {"include": [["#small-team"], ["#guesses"]]})
