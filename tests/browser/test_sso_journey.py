"""Single sign-on in a real browser, against the real OpenID provider of tests/identity/:
an owner sets it up, tests it and requires it; a leader refused a password goes through the
company's provider (its own login and consent pages) and comes back signed in; sign-out
ends the session here. A browser also holds the redirect of a form to CSP's form-action,
which Django's test client does not: this is where that is checked."""

import pytest
import requests
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from survey.identity import sso as rules
from survey.identity.models import CompanySSO
from survey.models import CompanyDomain
from tests.browser.axe import axe_violations
from tests.browser.conftest import SCREENSHOTS
from tests.browser.pages import LAPTOP, PHONE
from tests.factories import make_company, make_user
from tests.identity.conftest import oidc_provider, saml_idp  # noqa: F401 (the fixtures)

pytestmark = pytest.mark.browser
PASSWORD = "pw-for-tests-1"  # tests.factories.make_user's
SHOTS = SCREENSHOTS / "sso"


def log_in(page: Page, url: str, email: str) -> None:
    page.goto(url + "/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").last.click()


def shoot(page: Page, name: str, size: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)
    assert axe_violations(page) == [], name


@pytest.mark.parametrize("viewport,size", [(PHONE, "360"), (LAPTOP, "1280")])
def test_an_owner_requires_it_and_a_leader_signs_in_through_the_company(
    browser: Browser,
    live_server,
    oidc_provider,  # noqa: F811 (the fixture imported above)
    settings,
    viewport,
    size,  # noqa: F811
):
    settings.SSO_ALLOW_HTTP_ISSUER = True
    company = make_company()
    make_user("owner@acme.test", company, role="owner")
    make_user("lan@acme.test", company)
    CompanyDomain.objects.create(company=company, domain="acme.test", verified_at=timezone.now())
    registration = oidc_provider.register(
        f"{live_server.url}/accounts/oidc/company-{company.pk}/login/callback/"
    )

    owner = browser.new_context(viewport=viewport).new_page()
    log_in(owner, live_server.url, "owner@acme.test")
    owner.goto(f"{live_server.url}/companies/{company.pk}/")
    owner.get_by_role("link", name="Single sign-on").click()
    owner.get_by_label("Issuer URL").fill(oidc_provider.issuer)
    owner.get_by_label("Client ID").fill(registration["client_id"])
    owner.get_by_label("Client secret").fill(registration["client_secret"])
    owner.get_by_role("button", name="Save OpenID Connect").click()
    owner.get_by_role("button", name="Test the connection").click()
    expect(owner.get_by_text("The connection works.")).to_be_visible()
    owner.get_by_role("button", name="Require single sign-on").click()
    expect(owner.get_by_role("button", name="Stop requiring it")).to_be_visible()
    shoot(owner, "settings-required", size)
    assert CompanySSO.objects.get(company=company).enforced

    leader = browser.new_context(viewport=viewport).new_page()
    log_in(leader, live_server.url, "lan@acme.test")
    expect(leader.get_by_text("Acme requires its leaders to sign in")).to_be_visible()
    shoot(leader, "password-refused", size)
    leader.get_by_role("button", name="Sign in through your company").click()
    # The company's provider: its own login page, then its consent page.
    leader.wait_for_url(f"{oidc_provider.issuer}/interaction/**")
    leader.locator("input[name=login]").fill("lan@acme.test")
    leader.locator("input[name=password]").fill("any")
    leader.locator("button[type=submit]").click()
    leader.locator("button[type=submit]").click()  # consent: "Continue"
    # The provider gave no name: asked once, then on to where she was going.
    leader.wait_for_url(f"{live_server.url}/account/**")
    leader.get_by_label("Your name").fill("Lan Nguyen")
    leader.get_by_role("button", name="Save").click()
    leader.wait_for_url(f"{live_server.url}/")
    expect(leader.get_by_role("link", name="Acme").first).to_be_visible()
    shoot(leader, "signed-in", size)
    leader.get_by_role("button", name="Sign out").click()
    leader.goto(f"{live_server.url}/companies/{company.pk}/")
    expect(leader).to_have_url(f"{live_server.url}/login/?next=/companies/{company.pk}/")


def test_a_leader_signs_in_through_the_company_saml_idp(
    browser: Browser,
    live_server,
    saml_idp,  # noqa: F811 (the fixture imported above)
    settings,
):
    """SAML's way back is the IdP's cross-site POST: allauth keeps it in a cookie of its own
    and finishes with a same-site GET, so our SameSite=Lax session is there to finish it."""
    settings.SSO_ALLOW_HTTP_ISSUER = True
    company = make_company()
    owner = make_user("owner@acme.test", company, role="owner")
    CompanyDomain.objects.create(company=company, domain="acme.test", verified_at=timezone.now())
    sso = rules.configure_saml(company=company, actor=owner, metadata_url=saml_idp.entity_id)
    rules.test_connection(sso=sso, actor=owner, redirect_uri="")
    metadata = requests.get(
        f"{live_server.url}/accounts/saml/company-{company.pk}/metadata/", timeout=10
    )
    saml_idp.trust(metadata.text)
    page = browser.new_context(viewport=LAPTOP).new_page()
    page.goto(live_server.url + "/login/company/")
    page.locator("input[name=email]").fill("lan@acme.test")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{saml_idp.base}/sso/redirect**")
    page.locator("input[name=login]").fill("lan@acme.test")
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("Signed in as lan@acme.test.")).to_be_visible()
    shoot(page, "saml-signed-in", "1280")
