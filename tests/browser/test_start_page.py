"""The staff member's start page in a real browser: Start above the fold of a 360x640 phone
in English and Vietnamese, with and without a verified domain; the names a person is
counted among and the flag; a Start whose answer was lost, a double press, and a second
browser still refused. axe on every page; screenshots at 360 and 1280 px."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from survey.models import Company, CompanyDomain, Respondent, Round, SurveyLink
from survey.writes.services import new_link
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 640}
LAPTOP = {"width": 1280, "height": 900}
START = {"en": "Start the survey", "vi": "Bắt đầu khảo sát"}
NAMES = ["Nguyễn Thị Mai", "Trần Văn Bình", "Lê Hoàng Anh", "Phạm Thu Trang", "Đỗ Minh Quân"]


def company_with_people(*, verified: bool, language: str = "en") -> Respondent:
    """A company (with or without a verified domain), its open round closing in three weeks,
    and five named sales staff plus one without a name; the first of them."""
    company = Company.objects.create(name="Công ty TNHH Thương mại Hoà Bình", slug="hoa-binh")
    if verified:
        CompanyDomain.objects.create(
            company=company, domain="hoabinh.vn", verified_at=timezone.now()
        )
    survey_round = Round.objects.create(
        company=company,
        title="Spring",
        anonymity_threshold=5,
        closes_at=timezone.now() + timedelta(days=21),
    )
    people = [
        Respondent.objects.create(
            round=survey_round,
            email=f"p{n}@hoabinh.vn",
            name=name,
            department="sales",
            language=language,
        )
        for n, name in enumerate([*NAMES, ""])
    ]
    return people[0]


def link_of(respondent: Respondent, base: str) -> str:
    link, token = new_link(respondent, SurveyLink.Kind.EMAIL)
    link.save()
    return f"{base}/s/{token}/"


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def start_button(page: Page, language: str):
    return page.get_by_role("button", name=START[language])


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("verified", [False, True], ids=["leaders-word", "verified"])
def test_start_is_above_the_fold_of_a_small_phone(page, live_server, language, verified):
    respondent = company_with_people(verified=verified, language=language)
    page.set_viewport_size(SMALL_PHONE)
    page.goto(link_of(respondent, live_server.url))
    button = start_button(page, language)
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= SMALL_PHONE["height"], box
    if verified:
        expect(page.locator("#essentials")).to_contain_text("hoabinh.vn")
        expect(page.locator("#roster")).to_have_count(0)
    else:
        expect(page.locator("#roster li")).to_have_count(len(NAMES) + 1)
    expect(page.locator("#privacy ul")).not_to_be_visible()  # one tap away
    assert_no_axe_violations(page)
    kind = "verified" if verified else "leaders-word"
    shoot(page, f"start-{kind}-{language}-360")
    page.set_viewport_size(LAPTOP)
    page.locator("#privacy summary").click()
    expect(page.locator("#privacy ul")).to_be_visible()
    assert_no_axe_violations(page)
    shoot(page, f"start-{kind}-{language}-1280")


def test_continue_on_this_device_is_above_the_fold_too(page, live_server):
    """A fresh link (emailed on request) to a survey started elsewhere: the longest case."""
    respondent = company_with_people(verified=False, language="vi")
    Respondent.objects.filter(pk=respondent.pk).update(device_hash="0" * 64)
    link, token = new_link(respondent, SurveyLink.Kind.FRESH)
    link.save()
    page.set_viewport_size(SMALL_PHONE)
    page.goto(f"{live_server.url}/s/{token}/")
    button = page.get_by_role("button", name="Tiếp tục trên thiết bị này")
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= SMALL_PHONE["height"], box
    assert_no_axe_violations(page)
    shoot(page, "start-moving-vi-360")


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_shared_links_start_is_above_the_fold_too(page, live_server, language):
    survey_round = company_with_people(verified=False).round
    link = survey_round.shared_links.create(department="marketing", role="staff")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.set_viewport_size(SMALL_PHONE)
    page.goto(f"{live_server.url}/s/join/{link.token}/")
    box = start_button(page, language).bounding_box()
    assert box is not None and box["y"] + box["height"] <= SMALL_PHONE["height"], box
    expect(page.locator("#essentials")).to_be_visible()
    assert_no_axe_violations(page)
    shoot(page, f"join-{language}-360")


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_names_are_one_tap_away_and_the_flag_asks_nothing(page, live_server, language):
    respondent = company_with_people(verified=False, language=language)
    page.set_viewport_size(SMALL_PHONE)
    page.goto(link_of(respondent, live_server.url))
    page.locator("#essentials a[href='#roster']").click()
    roster = page.locator("#roster")
    expect(roster).to_be_in_viewport()
    expect(roster.locator("li").first).to_have_text("Đỗ Minh Quân")
    expect(roster).not_to_contain_text("@")
    shoot(page, f"start-names-{language}-360")
    roster.locator("button").click()
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main input:not([type=hidden]), main textarea")).to_have_count(0)
    assert_no_axe_violations(page)
    shoot(page, f"names-flagged-{language}-360")
    page.set_viewport_size(LAPTOP)
    shoot(page, f"names-flagged-{language}-1280")
    respondent.refresh_from_db()
    assert respondent.flagged_roster
    page.locator("main a.btn").click()  # back to the start page
    expect(start_button(page, language)).to_be_visible()


def lose_the_answer(page: Page) -> None:
    """The next Start reaches the server, but its answer never reaches the browser: no
    cookie from it is kept, and the page stays as it was (a 204), as when the network
    drops it or a second press supersedes it."""

    def handle(route):
        if route.request.method != "POST":
            return route.continue_()
        kept = page.context.cookies()
        route.fetch(max_redirects=0)
        page.context.clear_cookies()
        page.context.add_cookies(kept)
        return route.fulfill(status=204)

    page.route("**/s/start/", handle, times=1)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_start_whose_answer_was_lost_opens_the_survey_when_pressed_again(
    browser: Browser, live_server, language
):
    """Also what a double press is in Chromium: the first press reaches the server, its
    answer is dropped, and the second press must still open the survey."""
    respondent = company_with_people(verified=language == "vi", language=language)
    url = link_of(respondent, live_server.url)
    page = browser.new_context(viewport=SMALL_PHONE).new_page()
    page.goto(url)
    lose_the_answer(page)
    start_button(page, language).click()
    respondent.refresh_from_db()
    assert respondent.device_hash, "the first press reached the server and claimed the survey"
    expect(start_button(page, language)).to_be_visible()  # nothing seemed to happen

    start_button(page, language).click()

    expect(page.locator("fieldset")).to_have_count(20)
    assert_no_axe_violations(page)
    other = browser.new_context(viewport=SMALL_PHONE).new_page()
    other.goto(url)
    start_button(other, language).click()
    expect(other.locator("main form[action$='/fresh-link/'] button")).to_be_visible()
    if language == "en":
        expect(other.locator("main h1")).to_have_text(
            "Your survey was already started in another browser before you"
        )
    assert_no_axe_violations(other)
    shoot(other, f"started-before-you-{language}-360")
    other.set_viewport_size(LAPTOP)
    shoot(other, f"started-before-you-{language}-1280")


PRESS_TWICE = {
    # Two submit events on the form in the same moment, as a double tap fires them: the
    # browser sends the first POST and supersedes it with the second.
    "two-submits": """() => {
        const form = document.querySelector("main form[method=post]");
        form.requestSubmit();
        form.requestSubmit();
    }""",
    # Two POSTs that both reach the server, from the page's own context with its cookies
    # (the CSRF and device cookies the start page gave), answered in any order.
    "two-posts": """async () => {
        const form = document.querySelector("main form[method=post]");
        const post = () => fetch(form.action || location.href, {
            method: "POST", body: new FormData(form), credentials: "same-origin",
            redirect: "manual",
        });
        await Promise.all([post(), post()]);
    }""",
}


@pytest.mark.parametrize("press", PRESS_TWICE)
def test_start_pressed_twice_opens_the_survey_and_a_second_browser_is_still_refused(
    browser: Browser, live_server, press
):
    respondent = company_with_people(verified=False)
    url = link_of(respondent, live_server.url)
    page = browser.new_context(viewport=SMALL_PHONE).new_page()
    page.goto(url)
    expect(start_button(page, "en")).to_be_visible()

    page.evaluate(PRESS_TWICE[press])
    if press == "two-posts":  # the person then opens the start page again (or reloads)
        page.goto(f"{live_server.url}/s/start/")

    expect(page.locator("fieldset")).to_have_count(20)
    assert "/s/r/" in page.url
    respondent.refresh_from_db()
    assert respondent.device_hash and respondent.key in page.url
    claimed = respondent.device_hash
    page.reload()  # and the survey stays theirs
    expect(page.locator("fieldset")).to_have_count(20)

    other = browser.new_context(viewport=SMALL_PHONE).new_page()
    other.goto(url)
    start_button(other, "en").click()
    expect(other.locator("main h1")).to_have_text(
        "Your survey was already started in another browser before you"
    )
    other.goto(f"{live_server.url}/s/r/{respondent.key}/")
    expect(other.locator("fieldset")).to_have_count(0)
    respondent.refresh_from_db()
    assert respondent.device_hash == claimed
