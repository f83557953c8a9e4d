import pytest
from playwright.sync_api import expect

from tests.browser.pages import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser


def test_a_staff_member_answers_all_20_on_a_phone_and_sees_their_score(page, demo, screenshot):
    link = next(url for url, language in demo["links"] if language == "English")
    page.set_viewport_size(PHONE)
    page.goto(link)
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
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bán hàng và marketing")
    screenshot("survey-vi-1280")

    page.locator("#s1-1").focus()
    for _statement in range(20):
        page.keyboard.press("Space")  # checks the focused "1"
        page.keyboard.press("ArrowRight")  # moves to and checks "2"
        page.keyboard.press("Tab")  # on to the next statement, or the submit button
    expect(page.locator("input[type=radio]:checked")).to_have_count(20)
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
    expect(page.locator("#statement-gaps tbody tr")).to_have_count(20)
    screenshot(f"dashboard-en-{name}")
