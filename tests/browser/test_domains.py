"""Verifying a company domain in a real browser, against a real DNS server on 127.0.0.1:
the owner adds the domain, copies the TXT record, the record is published, Check now
verifies it. axe on every state, in English and Vietnamese, at 360 and 1280 px."""

import pytest
from playwright.sync_api import expect

from survey.identity.domains import record_name
from survey.models import CompanyDomain, Membership
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser
pytest_plugins = ["tests.dns_server"]  # the dns_server fixture

WORDS = {
    "en": {
        "domains": "Company domains",
        "add": "Add the domain",
        "check": "Check now",
        "copied": "Copied",
    },
    "vi": {
        "domains": "Tên miền của công ty",
        "add": "Thêm tên miền",
        "check": "Kiểm tra ngay",
        "copied": "Đã sao chép",
    },
}


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("viewport,width", [(PHONE, 360), (LAPTOP, 1280)])
def test_an_owner_verifies_the_company_domain(
    page, demo, live_server, dns_server, screenshot, viewport, width, language
):
    words = WORDS[language]
    dns_server.add("demo-company.example")  # the domain exists; our record not yet
    company = Membership.objects.get(user__username="manager@demo.example").company
    # The demo's company has verified demo.example: start as one that has verified nothing.
    CompanyDomain.objects.filter(company=company).delete()
    page.set_viewport_size(viewport)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, demo)
    expect(page.locator("main h1")).to_be_visible()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/companies/{company.pk}/")
    page.get_by_role("link", name=words["domains"]).click()
    expect(page.locator("main h1")).to_have_text(words["domains"])
    expect(page.locator(".next-step")).to_be_visible()
    fits(page, width)
    assert_no_axe_violations(page)
    screenshot(f"domains-empty-{language}-{width}")

    page.locator("#id_domain").fill("gmail.com")
    page.get_by_role("button", name=words["add"]).click()
    expect(page.locator("#id_domain")).to_have_value("gmail.com")
    expect(page.locator("#id_domain")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page)
    screenshot(f"domains-refused-{language}-{width}")

    page.locator("#id_domain").fill("Lan@Demo-Company.example")
    page.get_by_role("button", name=words["add"]).click()
    added = CompanyDomain.objects.get(company=company)
    assert added.domain == "demo-company.example"
    card = page.locator(f"#domain-{added.pk}")
    value = f"salesmarketing-verification={added.token}"
    expect(card.locator(f"#value-{added.pk}")).to_have_text(value)
    expect(card.locator(f"#name-{added.pk}")).to_have_text("_salesmarketing.demo-company.example")
    fits(page, width)
    assert_no_axe_violations(page)
    screenshot(f"domains-waiting-{language}-{width}")  # docs/domains.png: the en 1280 one
    copy = card.locator(f"button[data-target='value-{added.pk}']")
    copy.click()
    assert page.evaluate("navigator.clipboard.readText()") == value
    expect(page.locator("#copy-status")).to_contain_text(value)
    expect(copy).to_contain_text(words["copied"])

    card.get_by_role("button", name=words["check"]).click()
    expect(page.locator(".alert-warning")).to_contain_text("_salesmarketing.demo-company.example")
    fits(page, width)
    assert_no_axe_violations(page)
    screenshot(f"domains-missing-{language}-{width}")

    dns_server.publish(record_name(added.domain), page.evaluate("navigator.clipboard.readText()"))
    page.locator(f"#domain-{added.pk}").get_by_role("button", name=words["check"]).click()
    expect(page.locator(".alert-success")).to_contain_text("demo-company.example")
    expect(page.locator(f"#domain-{added.pk} .domain-state-verified")).to_be_visible()
    added.refresh_from_db()
    assert added.verified_at is not None
    fits(page, width)
    assert_no_axe_violations(page)
    screenshot(f"domains-verified-{language}-{width}")
