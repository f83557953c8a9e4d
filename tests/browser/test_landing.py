"""Visitors' pages in a real browser: the landing page, log-in and sign-up, checked with axe."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import LAPTOP, PHONE

pytestmark = pytest.mark.browser

VIEWPORTS = [(PHONE, "360"), (LAPTOP, "1280")]
TEXT = {
    "en": {
        "title": "See how well sales and marketing really work together",
        "signup": "Create an account",
        "login": "Log in",
        "login_title": "Log in",
        "signup_title": "Create an account",
    },
    "vi": {
        "title": "Xem bán hàng và marketing thực sự phối hợp với nhau tốt đến đâu",
        "signup": "Tạo tài khoản",
        "login": "Đăng nhập",
        "login_title": "Đăng nhập",
        "signup_title": "Tạo tài khoản",
    },
}


def open_landing(page: Page, base: str, language: str) -> None:
    page.goto(base + "/")
    if language == "vi":
        page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def scroll_overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("viewport,size", VIEWPORTS)
@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_visitor_reads_the_landing_page_and_reaches_sign_up_and_log_in(
    page, live_server, screenshot, viewport, size, language
):
    words = TEXT[language]
    page.set_viewport_size(viewport)
    open_landing(page, live_server.url, language)

    expect(page.get_by_role("heading", level=1)).to_have_text(words["title"])
    sample = page.get_by_role("img", name="58")
    expect(sample).to_be_visible()
    if size == "360":
        assert scroll_overflow(page) <= 0, "the page scrolls sideways on a phone"
    assert_no_axe_violations(page)
    screenshot(f"landing-{language}-{size}")

    page.locator(".hero").get_by_role("link", name=words["signup"]).click()
    expect(page).to_have_url(live_server.url + "/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["signup_title"])

    page.go_back()
    page.locator(".hero").get_by_role("link", name=words["login"]).click()
    expect(page).to_have_url(live_server.url + "/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["login_title"])


@pytest.mark.parametrize("viewport,size", VIEWPORTS)
@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("path", ["login", "signup"])
def test_log_in_and_sign_up_pass_axe(page, live_server, screenshot, viewport, size, language, path):
    page.set_viewport_size(viewport)
    open_landing(page, live_server.url, language)
    page.goto(f"{live_server.url}/{path}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    if size == "360":
        assert scroll_overflow(page) <= 0
    assert_no_axe_violations(page)
    screenshot(f"{path}-{language}-{size}")


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_failed_log_in_passes_axe(page, live_server, language):
    """The error state too: the form's messages must be readable and tied to the fields."""
    page.set_viewport_size(PHONE)
    open_landing(page, live_server.url, language)
    page.goto(live_server.url + "/login/")
    page.locator("#id_username").fill("nobody@example.test")
    page.locator("#id_password").fill("wrong-password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert-danger, main .invalid-feedback").first).to_be_visible()
    assert_no_axe_violations(page)


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/#main")
