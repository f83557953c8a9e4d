"""An action's page in a real browser: two owners chosen, a progress note, with axe."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from scoring.models import ActionOwner, PlannedAction
from survey.models import Round
from tests.browser.pages import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport,width", [(PHONE, 360), (LAPTOP, 1280)])
def test_two_owners_and_a_progress_note(page, demo, screenshot, viewport, width):
    survey_round = Round.objects.get(pk=int(re.search(r"/rounds/(\d+)/", demo["dashboard"])[1]))
    action = PlannedAction.objects.create(
        company=survey_round.company,
        round=survey_round,
        playbook_key="rules_of_engagement",
        due_date="2027-03-31",
    )
    page.set_viewport_size(viewport)
    log_in(page, demo)
    page.goto(f"{demo['dashboard']}plan/{action.pk}/")
    page.locator("#id_sales_member").select_option(label="manager@demo.example")
    page.locator("#id_marketing_name").fill("Quynh Pham")
    page.locator("#id_marketing_email").fill("quynh@demo.example")
    page.locator("#id_marketing_language").select_option("vi")
    page.get_by_role("button", name="Save the owners").click()
    expect(page.locator(".alert-success")).to_contain_text("anyone newly assigned is emailed")
    expect(page.locator("#owners")).to_contain_text("Quynh Pham (quynh@demo.example)")
    page.get_by_label("What has happened").fill("First joint meeting held; rules drafted")
    page.get_by_role("button", name="Add to the log").click()
    expect(page.locator("#progress-log li")).to_have_count(1)
    assert ActionOwner.objects.filter(action=action).count() == 2
    screenshot(f"action-owners-en-{width}")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
