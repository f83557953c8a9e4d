"""The pages production shows when things go wrong, and the CSP, in a real browser."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError, connections
from playwright.sync_api import expect

from tests.browser.pages import LAPTOP, PHONE
from tests.factories import make_company, make_respondent

pytestmark = pytest.mark.browser


@contextmanager
def database_down():
    """As when PostgreSQL goes away under a running server: the health check that starts
    each request's first query finds the kept connection dead, and reconnecting fails."""
    wrapper = type(connections["default"])
    refused = OperationalError("connection refused")
    with (
        mock.patch.object(wrapper, "is_usable", return_value=False),
        mock.patch.object(wrapper, "get_new_connection", side_effect=refused),
    ):
        yield


def test_a_stale_login_form_gets_a_friendly_page_in_vietnamese(page, live_server, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/login/")
    page.get_by_role("button", name="Tiếng Việt").click()
    page.context.clear_cookies()  # as after a log-in or log-out in another tab
    page.context.add_cookies([{"name": "django_language", "value": "vi", "url": live_server.url}])
    page.locator("#id_username").fill("lan@hoabinh.test")
    page.locator("#id_password").fill("whatever-it-was")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vui lòng thử lại")
    screenshot("csrf-failure-vi-360")
    page.get_by_role("link", name="Về trang đầu").click()
    expect(page).to_have_url(live_server.url + "/")  # visitors land on the landing page


def test_a_database_outage_explains_itself_and_the_csp_blocks_nothing_of_ours(
    page, live_server, screenshot
):
    company = make_company()
    round_ = company.rounds.create(title="Spring")
    _, token = make_respondent(round_)
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else 0)
    for size, label in ((PHONE, "360"), (LAPTOP, "1280")):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/s/{token}/")
        expect(page.locator("form")).not_to_have_count(0)
        with database_down():
            response = page.reload()
            assert response.status == 503
            expect(page.get_by_role("heading", level=1)).to_have_text("Back in a moment")
            screenshot(f"outage-en-{label}")
    assert blocked == []
