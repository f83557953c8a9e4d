"""The workshop run by keyboard in a real browser at 1280 px, checked with axe, and printed."""

import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.pages import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"start": "Start the presentation", "saved": "Saved", "in_plan": "In the action plan:"},
    "vi": {
        "start": "Bắt đầu trình chiếu",
        "saved": "Đã lưu",
        "in_plan": "Trong kế hoạch hành động:",
    },
}


def no_axe_violations(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def open_workshop(page, demo, language: str) -> None:
    log_in(page, demo)
    if language == "vi":
        page.get_by_role("button", name="Tiếng Việt").click()
        expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.locator("#workshop-link").click()
    expect(page.locator("#deck")).to_be_visible()


def visible_slide(page):
    return page.locator(".slide:visible")


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_heads_run_the_workshop_by_keyboard(page, demo, screenshot, language):
    words = WORDS[language]
    page.set_viewport_size(LAPTOP)
    open_workshop(page, demo, language)
    no_axe_violations(page)  # the slides as a list of sections, as without JavaScript

    start = page.get_by_role("button", name=words["start"])
    start.focus()
    page.keyboard.press("Enter")
    expect(visible_slide(page)).to_have_count(1)
    expect(visible_slide(page)).to_have_id("slide-opening")
    deck = page.locator("#deck").bounding_box()  # the slide fills the screen, header hidden
    assert (deck["x"], deck["y"], deck["width"], deck["height"]) == (0, 0, 1280, 900)
    screenshot(f"workshop-opening-{language}-1280")
    no_axe_violations(page)

    page.keyboard.press("ArrowRight")
    first = visible_slide(page)
    expect(first).to_have_count(1)
    first_id = first.get_attribute("id")
    assert first_id.startswith("slide-statement-")
    assert page.url.endswith(f"#{first_id}")
    screenshot(f"workshop-statement-{language}-1280")
    no_axe_violations(page)

    page.keyboard.press("ArrowLeft")
    expect(visible_slide(page)).to_have_id("slide-opening")
    page.keyboard.press("ArrowRight")

    # Typing in the box does not move the slides; Tab reaches the save button.
    box = first.locator("textarea")
    box.focus()
    page.keyboard.type("Marketing joins two customer visits a month")
    page.keyboard.press("ArrowLeft")
    expect(visible_slide(page)).to_have_id(first_id)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(visible_slide(page)).to_have_id(first_id)  # back on the same slide, presenting
    expect(visible_slide(page).locator(".agreement-saved")).to_have_text(words["saved"])
    expect(visible_slide(page).locator("textarea")).to_have_value(
        "Marketing joins two customer visits a month"
    )

    page.keyboard.press("End")
    closing = visible_slide(page)
    expect(closing).to_have_id("slide-closing")
    expect(closing).to_contain_text("Marketing joins two customer visits a month")
    screenshot(f"workshop-closing-{language}-1280")
    no_axe_violations(page)
    closing.locator("form button").focus()
    page.keyboard.press("Enter")
    expect(visible_slide(page)).to_have_id("slide-closing")
    expect(visible_slide(page).locator(".in-plan")).to_contain_text(words["in_plan"])

    page.keyboard.press("Escape")
    expect(page.locator(".slide:visible")).to_have_count(22)
    expect(page.locator("#slide-closing")).to_be_focused()
    page.keyboard.press("ArrowRight")  # outside the presentation the arrows scroll as usual
    expect(page.locator(".slide:visible")).to_have_count(22)


def test_the_workshop_reads_on_a_phone(page, demo, screenshot):
    page.set_viewport_size(PHONE)
    open_workshop(page, demo, "en")
    page.get_by_role("button", name="Start the presentation").click()
    page.keyboard.press("ArrowRight")
    screenshot("workshop-statement-en-360")
    no_axe_violations(page)


def test_without_javascript_the_slides_are_linked_sections(browser, demo, live_server):
    context = browser.new_context(java_script_enabled=False, viewport=LAPTOP)
    page = context.new_page()
    open_workshop(page, demo, "en")
    expect(page.get_by_role("button", name="Start the presentation")).to_be_hidden()
    expect(page.locator(".slide")).to_have_count(22)
    page.locator("#slide-opening a[data-slide-next]").click()
    assert "#slide-statement-" in page.url
    context.close()


def test_the_workshop_prints_as_handouts(page, demo, tmp_path):
    page.set_viewport_size(LAPTOP)
    open_workshop(page, demo, "en")
    pdf = tmp_path / "workshop.pdf"
    page.pdf(path=str(pdf), format="A4")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages >= 22  # a page per slide at least
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Sign out" not in text and "Start the presentation" not in text
    assert "Where we stand" in text and "What the room agrees" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "2",
            str(pdf),
            str(SCREENSHOTS / "workshop-print"),
        ],
        check=True,
    )
