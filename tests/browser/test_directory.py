"""The directory in a real browser: the owner creates a SCIM token (shown once), the identity
provider provisions people with it over real HTTP, and the open round invites everyone in
the directory. axe on every state, in English and Vietnamese, at 360 and 1280 px."""

import email_validator
import httpx2
import pytest
from playwright.sync_api import expect

from survey.models import Membership, Round
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser

WORDS = {
    "en": {
        "directory": "Directory (SCIM)",
        "create": "Create a token",
        "invite": "Invite everyone in the directory",
    },
    "vi": {
        "directory": "Danh bạ (SCIM)",
        "create": "Tạo mã truy cập",
        "invite": "Mời mọi người trong danh bạ",
    },
}
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("viewport,width", [(PHONE, 360), (LAPTOP, 1280)])
def test_an_owner_connects_the_directory_and_a_round_invites_it(
    page, demo, live_server, screenshot, viewport, width, language, monkeypatch
):
    monkeypatch.setattr(email_validator, "TEST_ENVIRONMENT", True)
    words = WORDS[language]
    company = Membership.objects.get(user__username="manager@demo.example").company
    page.set_viewport_size(viewport)
    log_in(page, demo)
    expect(page.locator("main h1")).to_be_visible()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/companies/{company.pk}/")
    page.get_by_role("link", name=words["directory"]).click()
    expect(page.locator("main h1")).to_have_text(words["directory"])
    fits(page, width)
    assert_no_axe_violations(page)
    screenshot(f"directory-empty-{language}-{width}")

    page.locator("input[name=label]").fill("Entra ID")
    page.get_by_role("button", name=words["create"]).click()
    token = page.locator("#token-value").inner_text().strip()
    fits(page, width)
    assert_no_axe_violations(page)
    screenshot(f"directory-token-{language}-{width}")

    scim = httpx2.Client(
        base_url=page.locator("#scim-url").inner_text().strip(),
        headers={"Authorization": f"Bearer {token}"},
    )
    for n, department in enumerate(["Sales", "Sales", "Marketing"]):
        address = f"person{n}@demo-company.example"
        created = scim.post(
            "Users",
            json={
                "schemas": [USER, ENTERPRISE],
                "userName": address,
                "emails": [{"primary": True, "type": "work", "value": address}],
                "name": {"givenName": f"Person {n}", "familyName": "Demo"},
                "active": True,
                ENTERPRISE: {"department": department},
            },
        )
        assert created.status_code == 201, created.text

    page.reload()
    expect(page.locator("#directory-counts")).to_contain_text("3")
    expect(page.locator("#directory-record")).to_contain_text("127.0.0.1")

    survey_round = Round.objects.get(company=company, closed_at__isnull=True)
    page.goto(f"{live_server.url}/rounds/{survey_round.pk}/manage/")
    section = page.locator("#directory-invite")
    expect(section).to_be_visible()
    fits(page, width)
    assert_no_axe_violations(page)
    screenshot(f"directory-round-{language}-{width}")
    section.get_by_role("button", name=words["invite"]).click()
    expect(page.locator("#directory-invite")).not_to_contain_text(words["invite"])
    assert survey_round.respondents.filter(email__endswith="@demo-company.example").count() == 3
    assert_no_axe_violations(page)
    screenshot(f"directory-invited-{language}-{width}")
