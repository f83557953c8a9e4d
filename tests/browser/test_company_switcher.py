"""A consultant's Companies menu opens inside the screen on a phone and on a laptop."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import LAPTOP, PHONE
from tests.factories import make_company, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def consultant(transactional_db):
    user = make_user("consultant@advice.test", make_company(), role="owner")
    for name in ("Hoà Bình Trading", "Sông Hồng Logistics and Distribution"):
        company = make_company(name=name, slug=name.split()[0].lower())
        company.memberships.create(user=user, role="owner")
    return user


def log_in(page: Page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("viewport,size", [(PHONE, "360"), (LAPTOP, "1280")])
@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_companies_menu_fits_the_screen(
    page, live_server, consultant, screenshot, viewport, size, language
):
    page.set_viewport_size(viewport)
    log_in(page, live_server, consultant.email)
    if language == "vi":
        page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator(".company-switcher summary").click()
    menu = page.locator(".company-switcher ul")
    expect(menu).to_be_visible()
    box = menu.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
    expect(menu.get_by_role("link", name="Sông Hồng Logistics and Distribution")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(f"company-switcher-{language}-{size}")
