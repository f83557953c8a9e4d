"""A staff member changes their answers and submits after the round closed: in a real
browser, in English and Vietnamese, the page they land on says the change was not saved,
above their published results. axe clean; screenshots at 360 and 1280 px."""

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_start_page import (
    LAPTOP,
    SMALL_PHONE,
    company_with_people,
    link_of,
    shoot,
    start_button,
)
from tests.factories import close

pytestmark = pytest.mark.browser

SUBMIT = {"en": "Submit my answers", "vi": "Gửi câu trả lời"}
NOT_SAVED = {
    "en": "Your changes were not saved: the survey closed before you sent them.",
    "vi": "Các thay đổi của bạn không được lưu: khảo sát đã đóng trước khi bạn gửi.",
}


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_change_sent_after_the_close_is_told_it_was_not_saved(
    browser: Browser, live_server, language
):
    respondent = company_with_people(verified=False, language=language)
    page = browser.new_context(viewport=SMALL_PHONE).new_page()
    page.goto(link_of(respondent, live_server.url))
    start_button(page, language).click()
    for number in range(1, 21):
        page.locator(f"label[for=s{number}-4]").click()
    page.get_by_role("button", name=SUBMIT[language]).click()
    respondent.refresh_from_db()
    assert respondent.submitted_at
    page.goto(f"{live_server.url}/s/r/{respondent.key}/")  # back to change an answer
    page.locator("label[for=s1-1]").click()
    close(respondent.round)  # meanwhile the leader closes the round

    page.get_by_role("button", name=SUBMIT[language]).click()

    notice = page.locator("#not-saved")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(NOT_SAVED[language])
    expect(page.locator("#staff-results")).to_be_visible()  # their published results
    assert respondent.answers.get(statement=1).rating == 4
    assert_no_axe_violations(page)
    shoot(page, f"not-saved-{language}-360")
    page.set_viewport_size(LAPTOP)
    shoot(page, f"not-saved-{language}-1280")
