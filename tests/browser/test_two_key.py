"""The two-key guide in a real browser, once two heads have answered differently, with axe."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from scoring.models import RoundHead
from survey.models import Round
from tests.browser.pages import LAPTOP, PHONE, log_in
from tests.factories import make_user

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport,width", [(PHONE, 360), (LAPTOP, 1280)])
def test_the_comparison_reads_condition_by_condition(page, demo, screenshot, viewport, width):
    round_id = int(re.search(r"/rounds/(\d+)/", demo["dashboard"]).group(1))
    survey_round = Round.objects.get(pk=round_id)
    now = timezone.now()
    for department, ticked in (
        ("sales", ["no_reason_to_change", "simple_offer"]),
        ("marketing", ["no_reason_to_change", "short_life_cycles"]),
    ):
        user = make_user(f"{department}-head@demo.example", survey_round.company)
        RoundHead.objects.create(
            round=survey_round, department=department, user=user, ticked=ticked, answered_at=now
        )
    page.set_viewport_size(viewport)
    log_in(page, demo)
    page.goto(f"{demo['dashboard']}guide/")
    page.locator("#two-key-link").click()
    expect(page.locator("#comparison")).to_be_visible()
    expect(page.locator("tr.disagreed")).to_have_count(2)
    screenshot(f"two-key-en-{width}")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
