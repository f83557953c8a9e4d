"""The printed report: the overview saved as PDF by Chromium, read back with poppler.

A cover on the first page (company, round, its dates, how many answered in each group, and
for a group below the anonymity threshold a note instead of a number), a first page that is
full rather than half empty, and the published date on every page. The pages are written as
PNGs to artifacts/screenshots/print-*.png to be looked at.
"""

import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.pages import LAPTOP, log_in
from tests.factories import close, make_company, make_respondent, make_user, uniform

pytestmark = pytest.mark.browser

A4_HEIGHT = 842.88  # points


def pdf_pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    count = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    return [
        subprocess.run(
            ["pdftotext", "-raw", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def lowest_text_on_page_1(pdf: Path) -> float:
    """How far down the first page its last word ends, in points from the top."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
    ).stdout
    bottoms = [float(part.split('"')[1]) for part in html.split("yMax=")[1:]]
    return max(bottoms)


def save_pngs(pdf: Path, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENSHOTS / name)], check=True)


def print_overview(page: Page, url: str, pdf: Path, language: str) -> list[str]:
    page.goto(url)
    if language == "vi":
        page.get_by_role("button", name="Tiếng Việt").click()
        expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.pdf(path=str(pdf), format="A4")
    return pdf_pages(pdf)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_demo_report_has_a_cover_a_full_first_page_and_the_date_on_every_page(
    page, demo, tmp_path, language
):
    from scoring.results.published import published
    from survey.models import Round

    page.set_viewport_size(LAPTOP)
    log_in(page, demo)
    round_ = Round.objects.get(pk=int(demo["dashboard"].rstrip("/").split("/")[-1]))
    with translation.override(language):
        published_on = date_format(published(round_).published_at, "DATE_FORMAT")
        opened_on = date_format(round_.opened_at, "DATE_FORMAT")
        running = f"Demo Trading Co. · {round_.title} · "
    pdf = tmp_path / f"report-{language}.pdf"
    pages = print_overview(page, demo["dashboard"], pdf, language)
    save_pngs(pdf, f"print-overview-{language}")

    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        first_line = text.strip().splitlines()[0]
        assert first_line.startswith(running) and published_on in first_line, number
    cover = " ".join(pages[0].split())
    assert opened_on in cover and "Sign out" not in cover and "Đăng xuất" not in cover
    counts = {"en": "Sales 1 10 Marketing 1 5", "vi": "Bán hàng 1 10 Marketing 1 5"}
    assert counts[language] in cover  # heads and staff of each department, as published
    assert lowest_text_on_page_1(pdf) > 0.8 * A4_HEIGHT  # no half-empty first page


def test_a_group_below_the_threshold_is_a_note_on_the_cover_never_a_number(
    page, live_server, tmp_path
):
    company = make_company(name="Small Co", slug="small", threshold=5)
    round_ = company.rounds.create(title="Winter")
    make_respondent(round_, "sales", "leader", uniform(4))
    for _ in range(6):
        make_respondent(round_, "sales", "staff", uniform(3))
    for _ in range(3):  # below 5: their count is not published
        make_respondent(round_, "marketing", "staff", uniform(2))
    close(round_)
    make_user("boss@small.test", company)
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/rounds/{round_.pk}/")
    page.get_by_label("Email").fill("boss@small.test")
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Log in").click()
    pdf = tmp_path / "small.pdf"
    pages = print_overview(page, f"{live_server.url}/rounds/{round_.pk}/", pdf, "en")
    save_pngs(pdf, "print-overview-hidden-group")

    cover = " ".join(pages[0].split())
    assert "Sales 1 6" in cover
    marketing = cover.split("How many answered")[1].split("Marketing", 1)[1][:80]
    assert marketing.startswith(" not enough answers to show not enough answers to show")
    assert "3" not in marketing.split("Staff are counted")[0]
    for text in pages:
        assert "Results published on" in text.strip().splitlines()[0]
