import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from survey.models import Respondent, SurveyLink
from survey.writes.services import new_link
from tests.browser.pages import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser


def test_a_staff_member_answers_all_20_on_a_phone_and_sees_their_score(page, demo, screenshot):
    link = next(url for url, language in demo["links"] if language == "English")
    page.set_viewport_size(PHONE)
    page.goto(link)
    expect(page.locator("#essentials")).to_contain_text("Leaders never see who answered")
    screenshot("start-en-360")
    page.get_by_role("button", name="Start the survey").click()
    expect(page.locator("fieldset")).to_have_count(20)
    screenshot("survey-en-360")

    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("alert")).to_contain_text("20 statements still need a rating")

    for number in range(1, 21):
        page.locator(f"label[for=s{number}-{4 if number <= 10 else 3}]").click()
    page.get_by_role("button", name="Submit my answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your answers are saved")
    expect(page.locator(".score-value strong")).to_have_text("70")
    expect(page.locator(".score-card")).to_contain_text("Aligned")
    screenshot("thanks-en-360")


def test_a_vietnamese_link_can_be_answered_with_the_keyboard_alone(page, demo, screenshot):
    link = next(url for url, language in demo["links"] if language == "Vietnamese")
    page.set_viewport_size(LAPTOP)
    page.goto(link)
    screenshot("start-vi-1280")
    page.get_by_role("button", name="Bắt đầu khảo sát").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bán hàng và marketing")
    screenshot("survey-vi-1280")

    page.locator("#s1-1").focus()
    for _statement in range(20):
        page.keyboard.press("Space")  # checks the focused "1"
        page.keyboard.press("ArrowRight")  # moves to and checks "2"
        page.keyboard.press("Tab")  # past the collapsed "Why? (optional)"
        page.keyboard.press("Tab")  # on to the next statement, or the guess question
    expect(page.locator("input[type=radio]:checked")).to_have_count(20)
    page.keyboard.press("Tab")  # past the guess, to the open question
    page.keyboard.press("Tab")  # to the submit button
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn, câu trả lời đã được lưu")
    expect(page.locator(".score-value strong")).to_have_text("40")
    expect(page.locator(".score-card")).to_contain_text("Đã xác định")
    screenshot("thanks-vi-1280")


@pytest.mark.parametrize("viewport,name", [(PHONE, "360"), (LAPTOP, "1280")])
def test_the_manager_logs_in_and_sees_the_dashboard(page, demo, screenshot, viewport, name):
    page.set_viewport_size(viewport)
    log_in(page, demo)

    expect(page.get_by_role("heading", name="Combined level")).to_be_visible()
    expect(page.locator("#top-statements li")).to_have_count(3)
    screenshot(f"dashboard-en-{name}")
    page.get_by_role("link", name="Statements", exact=True).click()
    expect(page.locator("#statement-gaps tbody tr")).to_have_count(20)


def test_a_person_moves_from_phone_to_laptop_with_a_fresh_link(browser, demo, screenshot):
    respondent = Respondent.objects.filter(
        round__closed_at__isnull=True, submitted_at__isnull=True, role="staff"
    ).first()
    respondent.email = "mai@demo.example"
    respondent.save(update_fields=["email"])
    link, token = new_link(respondent, SurveyLink.Kind.EMAIL)
    link.save()
    url = demo["dashboard"].split("/rounds/")[0] + f"/s/{token}/"

    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(url)
    phone.get_by_role("button", name="Start the survey").click()
    for number in range(1, 21):
        phone.locator(f"label[for=s{number}-2]").click()
    phone.get_by_role("button", name="Submit my answers").click()
    expect(phone.locator(".score-value strong")).to_have_text("40")

    laptop = browser.new_context(viewport=LAPTOP).new_page()
    laptop.goto(url)  # the same start page as before anyone started
    laptop.get_by_role("button", name="Start the survey").click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text(
        "Your survey was already started in another browser before you"
    )
    expect(laptop.locator("input[type=radio]")).to_have_count(0)
    screenshot_of(laptop, "started-before-you-en-1280")
    laptop.get_by_role("button", name="Email me a fresh link").click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Check your email")
    fresh = [m for m in mail.outbox if m.to == ["mai@demo.example"]][-1]
    laptop.goto(re.search(r"(http\S+/s/[\w-]{32}/)", fresh.body).group(1))
    laptop.get_by_role("button", name="Continue on this device").click()
    expect(laptop.locator("input[type=radio]:checked")).to_have_count(20)  # the answers moved
    for number in range(1, 21):
        laptop.locator(f"label[for=s{number}-5]").click()
    laptop.get_by_role("button", name="Submit my answers").click()
    expect(laptop.locator(".score-value strong")).to_have_text("100")

    phone.reload()  # the phone no longer opens it
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "This survey is in use on another device"
    )
    respondent.refresh_from_db()
    assert set(respondent.answers.values_list("rating", flat=True)) == {5}


def screenshot_of(page, name: str) -> None:
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_ticks_survive_a_closed_tab_and_the_progress_counts_them(page, demo, screenshot):
    link = next(url for url, language in demo["links"] if language == "English")
    page.set_viewport_size(PHONE)
    page.goto(link)
    page.get_by_role("button", name="Start the survey").click()
    expect(page.locator("#progress")).to_have_text("0 of 20 answered")
    for number in (1, 2, 3):
        page.locator(f"label[for=s{number}-5]").click()
    expect(page.locator("#progress")).to_have_text("3 of 20 answered")

    page.reload()  # as after a closed tab or a server outage: nothing was submitted
    expect(page.locator("input[type=radio]:checked")).to_have_count(3)
    expect(page.locator("#progress")).to_have_text("3 of 20 answered")
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.locator("#error-summary")).to_be_focused()  # 17 still missing
    screenshot("survey-gaps-en-360")

    for number in range(4, 21):
        page.locator(f"label[for=s{number}-1]").click()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.locator(".score-value strong")).to_have_text("32")  # 3 x 5 + 17 x 1
    stored = page.evaluate("Object.keys(window.localStorage)")
    assert not [key for key in stored if key.startswith("survey-draft:")]


def test_comments_and_the_guess_survive_a_reload_and_a_failed_submission(page, demo, screenshot):
    link = next(url for url, language in demo["links"] if language == "English")
    page.set_viewport_size(PHONE)
    page.goto(link)
    page.get_by_role("button", name="Start the survey").click()
    url = page.url
    for number in (1, 2):
        page.locator(f"label[for=s{number}-4]").click()
    page.locator("#statement-2 summary").click()
    page.locator("#c2").fill("We plan campaigns without sales in the room.")
    page.locator("#c0").fill("A shared weekly meeting.")
    page.locator("#guess").select_option("aligned")

    page.reload()  # as after a closed tab or an outage: nothing was submitted
    expect(page.locator("input[type=radio]:checked")).to_have_count(2)
    expect(page.locator("#c2")).to_have_value("We plan campaigns without sales in the room.")
    expect(page.locator("#statement-2 details")).to_have_attribute("open", "")
    expect(page.locator("#c0")).to_have_value("A shared weekly meeting.")
    expect(page.locator("#guess")).to_have_value("aligned")
    expect(page.locator("#progress")).to_have_text("2 of 20 answered")
    screenshot("survey-draft-restored-en-360")

    # The submission itself is lost (the network drops it): everything typed is still here.
    def drop_posts(route):
        if route.request.method == "POST":
            route.abort()
        else:
            route.continue_()

    page.route(url, drop_posts)
    page.locator("label[for=s3-2]").click()
    page.locator("#c0").fill("A shared weekly meeting, every Monday.")
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_load_state()
    page.unroute(url)
    page.goto(url)
    expect(page.locator("input[type=radio]:checked")).to_have_count(3)
    expect(page.locator("#s3-2")).to_be_checked()
    expect(page.locator("#c2")).to_have_value("We plan campaigns without sales in the room.")
    expect(page.locator("#c0")).to_have_value("A shared weekly meeting, every Monday.")
    expect(page.locator("#guess")).to_have_value("aligned")

    for number in range(4, 21):
        page.locator(f"label[for=s{number}-3]").click()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your answers are saved")
    respondent = Respondent.objects.get(submitted_at__isnull=False, guess="aligned")
    texts = dict(respondent.comments.values_list("statement", "text"))
    assert texts == {
        0: "A shared weekly meeting, every Monday.",
        2: "We plan campaigns without sales in the room.",
    }
    stored = page.evaluate("Object.keys(window.localStorage)")
    assert not [key for key in stored if key.startswith("survey-draft:")]  # gone once saved
