"""The other pages the new look restyled, checked with axe at 360 and 1280 px, both languages:
a leader's home page, the survey page with its error summary, the password reset form."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser

VIEWPORTS = [(PHONE, "360"), (LAPTOP, "1280")]


def switch_to(page: Page, language: str) -> None:
    if language == "vi":
        page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport,size", VIEWPORTS)
@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_leaders_home_page_passes_axe(page, demo, screenshot, viewport, size, language):
    page.set_viewport_size(viewport)
    log_in(page, demo)
    page.goto(demo["dashboard"].split("/rounds/")[0] + "/")
    switch_to(page, language)
    expect(page.locator(".company-card")).to_contain_text("Demo Trading Co.")
    assert no_sideways_scroll(page)
    assert_no_axe_violations(page)
    screenshot(f"home-{language}-{size}")


@pytest.mark.parametrize("viewport,size", VIEWPORTS)
@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_survey_error_summary_passes_axe(page, demo, screenshot, viewport, size, language):
    """Its links were blue on pink at 3.4:1; axe's colour-contrast rule now holds them to 4.5."""
    link = next(url for url, _language in demo["links"])
    page.set_viewport_size(viewport)
    page.goto(link)
    switch_to(page, language)
    assert no_sideways_scroll(page)
    assert_no_axe_violations(page)  # the start page, with who sees what
    page.locator("main form button[type=submit]").click()
    page.locator("form.survey-form button[type=submit]").click()
    summary = page.locator("#error-summary")
    expect(summary.locator("a")).to_have_count(20)
    assert no_sideways_scroll(page)
    assert_no_axe_violations(page)
    screenshot(f"survey-errors-{language}-{size}")


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_password_reset_form_passes_axe(page, live_server, language):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/password-reset/")
    switch_to(page, language)
    assert no_sideways_scroll(page)
    assert_no_axe_violations(page)
