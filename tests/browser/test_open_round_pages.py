"""The open round's pages of issue 15 in a browser: the round page's counts (to last
midnight, from k answers) with their one-line reason, and the new-round page while a round
is open, in both languages at 360 and 1280 px, with axe."""

import pytest
from playwright.sync_api import expect

from survey.models import Round
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser

CASES = [("en", PHONE, 360), ("en", LAPTOP, 1280), ("vi", PHONE, 360), ("vi", LAPTOP, 1280)]
WHY = {
    "en": "Answers are counted once a day, up to last midnight",
    "vi": "Câu trả lời được đếm mỗi ngày một lần",
}
ALREADY = {"en": "is still open", "vi": "vẫn đang mở"}


@pytest.mark.parametrize("language,viewport,width", CASES)
def test_the_round_page_and_the_new_round_page_while_a_round_is_open(
    page, demo, live_server, screenshot, language, viewport, width
):
    open_round = Round.objects.get(title="Autumn 2026")
    page.set_viewport_size(viewport)
    log_in(page, demo)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/rounds/{open_round.pk}/manage/")
    expect(page.locator("#counts-why")).to_contain_text(WHY[language])
    assert_no_axe_violations(page)
    screenshot(f"open-round-counts-{language}-{width}")
    page.goto(f"{live_server.url}/companies/{open_round.company_id}/rounds/new/")
    expect(page.locator("#round-already-open")).to_contain_text(ALREADY[language])
    assert_no_axe_violations(page)
    screenshot(f"round-already-open-{language}-{width}")
    page.locator("#round-already-open a.btn-primary").click()
    expect(page).to_have_url(f"{live_server.url}/rounds/{open_round.pk}/manage/")
