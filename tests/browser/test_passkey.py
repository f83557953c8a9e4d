"""A passkey added and used in Chromium, with its virtual authenticator (the DevTools
protocol's WebAuthn domain, through Playwright's CDP session): allauth's own WebAuthn script
on our pages, the browser's real navigator.credentials, fido2 checking on the server."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tests.factories import make_company

pytestmark = pytest.mark.browser
PASSWORD = "a-long-passphrase-for-tests"


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_leader_adds_a_passkey_then_signs_in_with_it(page, live_server, screenshot, language):
    base = live_server.url
    company = make_company(name="Hoà Bình", slug="hoa-binh")
    user = get_user_model().objects.create_user(
        "lan@hoabinh.test", "lan@hoabinh.test", PASSWORD, first_name="Lan Nguyen"
    )
    company.memberships.create(user=user, role="owner")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]

    log_in(page, base, user.email)
    page.goto(base + "/account/two-factor/passkeys/add/")
    page.locator("#id_name").fill("Laptop")
    screenshot(f"passkey-add-{language}")
    page.locator("#mfa_webauthn_add").click()
    expect(page).to_have_url(base + "/account/two-factor/recovery-codes/")
    screenshot(f"passkey-recovery-codes-{language}")
    key = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Laptop"
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(credentials["credentials"]) == 1

    page.locator("header form[action='/logout/'] button").click()
    log_in(page, base, user.email)
    expect(page).to_have_url(base + "/login/two-factor/")
    screenshot(f"passkey-sign-in-{language}")
    page.locator("#mfa_webauthn_authenticate").click()
    expect(page).to_have_url(base + "/")
    expect(page.locator("main")).to_contain_text("Hoà Bình")
