"""The dashboard's charts in a real browser: phone and laptop, English and Vietnamese, print."""

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.pages import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport,size", [(PHONE, "360"), (LAPTOP, "1280")])
@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_charts_have_text_alternatives_in_both_languages(
    page,
    demo,
    screenshot,
    viewport,
    size,
    language,
):
    page.set_viewport_size(viewport)
    log_in(page, demo)
    if language == "vi":
        page.get_by_role("button", name="Tiếng Việt").click()
        expect(page.locator("html")).to_have_attribute("lang", "vi")

    # one chart on the overview and on each of four tabs (each drawn wide and narrow, one
    # shown at a time), each with its text alternative
    base = page.url.split("/rounds/")[0] + "/rounds/" + page.url.split("/rounds/")[1].split("/")[0]
    for tab in ("/", "/statements/", "/groups/", "/spread/", "/trends/"):
        page.goto(base + tab)
        charts = page.get_by_role("img")
        expect(charts).to_have_count(1)
        expect(charts.first).to_have_attribute("aria-labelledby", re.compile(r"\S+-title"))
        if tab == "/groups/":
            expect(page.locator("#group-stats tbody tr")).to_have_count(6)
        if tab == "/statements/":
            expect(page.locator("#dumbbell-title")).not_to_be_empty()
    screenshot(f"dashboard-charts-{language}-{size}")


def test_save_as_pdf_gives_an_a4_report_without_the_header(page, demo, tmp_path):  # noqa: F811
    page.set_viewport_size(LAPTOP)
    log_in(page, demo)
    expect(page.get_by_role("heading", name="Combined level")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("svg.chart-wide").first).to_be_visible()  # the wide chart on paper
    page.emulate_media(media="screen")
    pdf = tmp_path / "dashboard.pdf"
    page.pdf(path=str(pdf), format="A4")

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "595.92 x 842.88 pts (A4)" in info or "595 x 842" in info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Log out" not in text  # the site header is not printed
    assert "Perception gap" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / "dashboard-print-page"
    for number in (1, 2):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                str(number),
                "-l",
                str(number),
                "-singlefile",
                str(pdf),
                f"{out}-{number}",
            ],
            check=True,
        )
    assert Path(f"{out}-1.png").exists()
