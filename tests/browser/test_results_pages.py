"""The overview and every tab of a closed round in a real browser, at 360 and 1280 px, in
English and Vietnamese: no sideways scrolling, chart text never under 12 px, no WCAG 2.1
A/AA violation found by axe-core, and a screenshot of each. The overview's height is
written to artifacts/screenshots/overview-heights.txt."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.pages import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser

TABS = ["", "statements/", "groups/", "spread/", "trends/", "guide/", "plan/", "downloads/"]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# The smallest text drawn in a visible chart, in CSS pixels: its font size times the scale
# at which its SVG is drawn (rendered width / viewBox width).
SMALLEST_CHART_TEXT = """() => {
  let smallest = Infinity;
  for (const svg of document.querySelectorAll('main svg[viewBox]')) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0) continue;
    const scale = box.width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll('text')) {
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      smallest = Math.min(smallest, size);
    }
  }
  return smallest;
}"""


@pytest.mark.parametrize("viewport,size", [(PHONE, "360"), (LAPTOP, "1280")])
@pytest.mark.parametrize("language", ["en", "vi"])
def test_every_tab_fits_reads_and_passes_axe(page, demo, screenshot, viewport, size, language):
    page.set_viewport_size(viewport)
    log_in(page, demo)
    if language == "vi":
        page.get_by_role("button", name="Tiếng Việt").click()
        expect(page.locator("html")).to_have_attribute("lang", "vi")
    base = page.url.rstrip("/") + "/"
    axe = Axe()
    for tab in TABS:
        page.goto(base + tab)
        expect(page.locator(".results-tabs [aria-current=page]")).to_have_count(1)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{tab or 'overview'} scrolls sideways: {width}px"
        assert page.evaluate(SMALLEST_CHART_TEXT) >= 12 - 0.01, tab
        results = axe.run(page, options=WCAG)
        assert results.violations_count == 0, results.generate_report()
        name = (tab or "overview/").rstrip("/")
        screenshot(f"results-{name}-{language}-{size}")
        if not tab:
            height = page.evaluate("document.documentElement.scrollHeight")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            with open(SCREENSHOTS / "overview-heights.txt", "a") as out:
                out.write(f"overview {language} {size}px: {height}px high\n")
