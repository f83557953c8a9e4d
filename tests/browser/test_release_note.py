"""The dashboard's note on changed answers in a real browser, English and Vietnamese."""

import pytest
from playwright.sync_api import expect

from scoring.models import GroupRelease
from survey.models import Respondent
from survey.services import submit_answers
from tests.browser.pages import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport,size", [(PHONE, "360"), (LAPTOP, "1280")])
@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_counted_change_is_announced_without_moving_the_figures(
    page, demo, screenshot, viewport, size, language
):
    page.set_viewport_size(viewport)
    log_in(page, demo)  # the first view releases the demo's answers
    level = page.locator(".metric-line").first.inner_text()
    release = GroupRelease.objects.filter(role="staff", round__closed_at=None).first()
    counted = Respondent.objects.get(pk=int(next(iter(release.people))))
    submit_answers(respondent=counted, ratings={n: 1 for n in range(1, 21)})

    page.reload()
    if language == "vi":
        page.get_by_role("button", name="Tiếng Việt").click()
        expect(page.locator("html")).to_have_attribute("lang", "vi")

    note = "Some staff have changed answers" if language == "en" else "Một số nhân viên đã sửa"
    expect(page.locator("#pending-changes")).to_contain_text(note)
    if language == "en":
        expect(page.locator(".metric-line").first).to_have_text(level)
    screenshot(f"dashboard-pending-{language}-{size}")
