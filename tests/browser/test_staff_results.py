"""The results played back to staff, in a real browser at 360 and 1280 px, in English and
Vietnamese: opened from the personal link after the close, the heads' message on top, no
sideways scrolling, chart text never under 12 px, and no WCAG 2.1 A/AA violation."""

import random

import pytest
from playwright.sync_api import expect

from survey.models import Respondent, SurveyLink
from survey.playback_models import ResultsMessage
from survey.writes.services import new_link
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import LAPTOP, PHONE
from tests.browser.test_results_pages import SMALLEST_CHART_TEXT
from tests.factories import close, make_company, make_respondent

pytestmark = pytest.mark.browser

MESSAGE = {
    "en": "Thank you all. Both departments meet on Friday at 10 to talk about these results.",
    "vi": "Cảm ơn mọi người. Hai bộ phận sẽ họp vào thứ Sáu lúc 10 giờ để trao đổi về kết quả.",
}


def closed_round(language: str) -> str:
    """A closed round with varied answers; the personal link of one staff member."""
    company = make_company(name="Acme Việt Nam", slug="acme-vn", threshold=3)
    survey_round = company.rounds.create(title="Spring 2026", anonymity_threshold=3)
    rng = random.Random(4)
    for department, centre in (("sales", 4), ("marketing", 2)):
        make_respondent(survey_round, department, "leader", [centre] * 20)
        for _ in range(6):
            ratings = [min(5, max(1, centre + rng.choice((-1, 0, 0, 1)))) for _ in range(20)]
            make_respondent(survey_round, department, "staff", ratings)
    person = Respondent.objects.create(
        round=survey_round, department="sales", email="an@acme.test", language=language
    )
    link, token = new_link(person, SurveyLink.Kind.EMAIL)
    link.save()
    ResultsMessage.objects.create(round=survey_round, text=MESSAGE[language])
    close(survey_round)
    return token


@pytest.mark.parametrize("viewport,size", [(PHONE, "360"), (LAPTOP, "1280")])
@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_staff_summary_fits_reads_and_passes_axe(
    page, live_server, transactional_db, screenshot, viewport, size, language
):
    token = closed_round(language)
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/s/{token}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#heads-message")).to_contain_text(MESSAGE[language])
    expect(page.locator("#combined-level")).to_be_visible()
    expect(page.locator("#statement-gaps tbody tr")).to_have_count(20)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the summary scrolls sideways: {width}px"
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 12 - 0.01
    assert_no_axe_violations(page)
    screenshot(f"staff-results-{language}-{size}")
