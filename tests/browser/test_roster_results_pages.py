"""On what the anonymity rested, in a real browser at 360 and 1280 px, English and
Vietnamese: the demo's Spring 2026 overview (two sales answers that did not count, the
verified demo domain) and its Autumn 2025 overview (published before the domain was
verified: on the leaders' word). No sideways scrolling, axe clean, a screenshot of each."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from survey.models import Round
from tests.browser.conftest import SCREENSHOTS
from tests.browser.pages import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.mark.parametrize("viewport,size", [(PHONE, "360"), (LAPTOP, "1280")])
@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_overview_says_on_what_the_anonymity_rested(
    page, demo, screenshot, viewport, size, language
):
    page.set_viewport_size(viewport)
    log_in(page, demo)
    if language == "vi":
        page.get_by_role("button", name="Tiếng Việt").click()
        expect(page.locator("html")).to_have_attribute("lang", "vi")
    axe = Axe()
    autumn = Round.objects.get(title="Autumn 2025")
    spring = Round.objects.get(title="Spring 2026")
    for round_, name, marker in (
        (spring, "verified", "#sources-sales"),
        (autumn, "leaders-word", ".on-leaders-word"),
    ):
        page.goto(f"{demo['dashboard'].split('/rounds/')[0]}/rounds/{round_.pk}/")
        expect(page.locator("#roster-statement")).to_be_visible()
        expect(page.locator(marker)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{name} scrolls sideways: {width}px"
        results = axe.run(page, options=WCAG)
        assert results.violations_count == 0, results.generate_report()
        page.locator("#level-heading").scroll_into_view_if_needed()
        screenshot(f"roster-{name}-{language}-{size}")
        card = SCREENSHOTS / f"roster-{name}-{language}-{size}-card.png"
        page.locator("section.overview-level").screenshot(path=str(card))
        page.emulate_media(media="print")  # the printed cover says the same
        expect(page.locator("#cover-roster")).to_be_visible()
        page.locator("header.report-cover").screenshot(path=str(card).replace("card", "print"))
        page.emulate_media(media="screen")
    if language == "en":  # Autumn: every answer came through an emailed link
        expect(page.locator("#sources-sales")).to_have_text(
            "Every staff answer counted toward the threshold."
        )
