"""A viewer in a real browser: reads the results and the plan without a control to press,
and a page that runs the round says why it is refused (axe-checked, 360 and 1280 px,
English and Vietnamese)."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from survey.models import Membership, Round
from tests.browser.axe import axe_violations
from tests.browser.conftest import SCREENSHOTS
from tests.browser.pages import LAPTOP, PHONE

pytestmark = pytest.mark.browser
PASSWORD = "viewer-pass-for-tests-1"


@pytest.mark.parametrize("viewport,size", [(PHONE, "360"), (LAPTOP, "1280")])
@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_viewer_reads_and_is_refused_the_rest(
    browser, live_server, demo, viewport, size, language
):
    closed = Round.objects.get(title="Spring 2026")
    ceo = get_user_model().objects.create_user("ceo@demo.example", "ceo@demo.example", PASSWORD)
    Membership.objects.create(user=ceo, company=closed.company, role=Membership.Role.VIEWER)
    page = browser.new_context(viewport=viewport).new_page()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(live_server.url + "/login/")
    page.locator("#id_username").fill("ceo@demo.example")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_be_visible()
    shots = SCREENSHOTS / "viewer"
    shots.mkdir(parents=True, exist_ok=True)
    found = []
    for name, path in [
        ("company", f"/companies/{closed.company_id}/"),
        ("plan", f"/rounds/{closed.pk}/plan/"),
        ("refused", f"/rounds/{closed.pk}/participants/"),
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == (403 if name == "refused" else 200), name
        found += [f"{name}: {v}" for v in axe_violations(page)]
        page.screenshot(path=str(shots / f"{name}-{language}-{size}.png"), full_page=True)
        main = page.locator("main")
        if name == "company":
            expect(main.locator("a[href$='/rounds/new/']")).to_have_count(0)
            expect(main.locator(f"a[href='/rounds/{closed.pk}/']")).to_have_count(1)
        if name == "plan":
            expect(main.locator("form[method=post]")).to_have_count(0)
            expect(main.locator("a[href$='/edit/']")).to_have_count(0)
        if name == "refused":
            heading = {"en": "Your role only reads", "vi": "Vai trò của bạn chỉ được đọc"}
            expect(main.locator("h1")).to_have_text(re.compile(heading[language]))
    assert found == [], "\n".join(found)
