"""Two-factor sign-in through the real pages: TOTP set up from the secret the page shows, real
codes computed with pyotp, a wrong code, a reused code, a recovery code that works once, the
owner's requirement, and WebAuthn's registration options."""

import json
import re
import time

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client

from survey.identity import mfa
from survey.models import AuditEvent
from tests.factories import make_user

PASSWORD = "pw-for-tests-1"


@pytest.fixture(autouse=True)
def fresh_cache():
    # Used TOTP codes and login counters live in the cache: each test starts clean.
    cache.clear()


def sign_in(client: Client, email: str):
    return client.post("/login/", {"username": email, "password": PASSWORD})


def set_up_totp(client: Client) -> pyotp.TOTP:
    page = client.get("/account/two-factor/totp/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # our QR code, inline: no CDN
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', html).group(1)
    totp = pyotp.TOTP(secret)
    response = client.post("/account/two-factor/totp/", {"code": totp.now()})
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/recovery-codes/"
    return totp


def next_code(totp: pyotp.TOTP) -> str:
    """A code of the next 30-second window (a code is accepted once only)."""
    now = time.time()
    wait = 30 - now % 30 + 0.2
    time.sleep(wait)
    return totp.now()


@pytest.fixture
def leader_with_totp(owner):
    client = Client()
    client.force_login(owner)
    totp = set_up_totp(client)
    return owner, totp


def test_sign_in_asks_for_the_code_then_accepts_a_real_one(leader_with_totp):
    owner, totp = leader_with_totp
    client = Client()
    response = sign_in(client, owner.email)
    assert response.status_code == 302
    assert response["Location"] == "/login/two-factor/"
    # Not signed in yet: the workspace sends the browser to the login page.
    assert client.get("/").status_code == 200  # the public landing page
    assert "_auth_user_id" not in client.session
    page = client.get("/login/two-factor/")
    assert page.status_code == 200
    assert "authenticator app" in page.content.decode()
    response = client.post("/login/two-factor/", {"code": totp.now()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_a_wrong_code_is_refused(leader_with_totp):
    owner, totp = leader_with_totp
    client = Client()
    sign_in(client, owner.email)
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    response = client.post("/login/two-factor/", {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_is_refused_in_vietnamese(leader_with_totp):
    owner, _ = leader_with_totp
    client = Client(headers={"accept-language": "vi"})
    sign_in(client, owner.email)
    response = client.post("/login/two-factor/", {"code": "000000"})
    assert "Mã không đúng." in response.content.decode()


def test_a_code_works_once_only(leader_with_totp):
    owner, totp = leader_with_totp
    code = next_code(totp)  # not the one used to set the app up
    first = Client()
    sign_in(first, owner.email)
    assert first.post("/login/two-factor/", {"code": code}).status_code == 302
    second = Client()
    sign_in(second, owner.email)
    response = second.post("/login/two-factor/", {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in second.session


def test_a_recovery_code_works_once_only(leader_with_totp):
    owner, _ = leader_with_totp
    client = Client()
    client.force_login(owner)
    page = client.get("/account/two-factor/recovery-codes/").content.decode()
    codes = re.findall(r"<li>(\d{8})</li>", page)
    assert len(codes) == 10
    first = Client()
    sign_in(first, owner.email)
    assert first.post("/login/two-factor/", {"code": codes[0]}).status_code == 302
    again = Client()
    sign_in(again, owner.email)
    assert again.post("/login/two-factor/", {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in again.session
    assert again.post("/login/two-factor/", {"code": codes[1]}).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(leader_with_totp):
    owner, _ = leader_with_totp
    client = Client()
    client.force_login(owner)
    old = re.findall(r"<li>(\d{8})</li>", client.get("/account/two-factor/recovery-codes/").text)
    assert client.post("/account/two-factor/recovery-codes/new/").status_code == 302
    new = re.findall(r"<li>(\d{8})</li>", client.get("/account/two-factor/recovery-codes/").text)
    assert set(old).isdisjoint(new)
    stranger = Client()
    sign_in(stranger, owner.email)
    assert stranger.post("/login/two-factor/", {"code": old[0]}).status_code == 200


def test_the_totp_secret_is_encrypted_at_rest(leader_with_totp):
    owner, totp = leader_with_totp
    stored = Authenticator.objects.get(user=owner, type=Authenticator.Type.TOTP).data["secret"]
    assert stored.startswith("fernet:")
    assert totp.secret not in stored


def test_without_a_second_factor_sign_in_is_one_step(owner):
    client = Client()
    response = sign_in(client, owner.email)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_an_owner_requires_it_and_leaders_without_one_set_it_up_first(company, owner, manager):
    owner_client = Client()
    owner_client.force_login(owner)
    url = f"/companies/{company.pk}/two-factor/"
    # Not before the owner has one: they would lock themselves out.
    owner_client.post(url, {"required": "1"})
    company.refresh_from_db()
    assert not company.require_mfa
    set_up_totp(owner_client)
    assert owner_client.post(url, {"required": "1"}).status_code == 302
    company.refresh_from_db()
    assert company.require_mfa
    event = AuditEvent.objects.get(company=company, action=AuditEvent.Action.MFA_REQUIRED)
    assert event.actor == owner
    # The manager signs in with a password and is sent to set up a second factor first.
    client = Client()
    assert sign_in(client, manager.email)["Location"] == "/"
    for page in ("/", f"/companies/{company.pk}/"):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"] == "/account/two-factor/"
    setup = client.get("/account/two-factor/")
    assert setup.status_code == 200
    assert "Acme requires a second factor" in setup.text
    set_up_totp(client)
    assert client.get(f"/companies/{company.pk}/").status_code == 200
    # Relaxed: on the record too.
    owner_client.post(url, {"required": "0"})
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MFA_RELAXED).count() == 1


def test_a_manager_cannot_change_the_requirement(company, manager):
    client = Client()
    client.force_login(manager)
    assert client.post(f"/companies/{company.pk}/two-factor/", {"required": "1"}).status_code == 403


def test_webauthn_registration_options_name_our_site_and_the_leader(owner):
    client = Client()
    client.force_login(owner)
    page = client.get("/account/two-factor/passkeys/add/")
    assert page.status_code == 200
    data = re.search(r'<script id="js_data" type="application/json">(.*?)</script>', page.text)
    options = json.loads(data.group(1))["creation_options"]["publicKey"]
    assert options["rp"] == {"id": "testserver", "name": "Sales & Marketing Alignment"}
    assert options["user"]["name"] == owner.email
    assert options["challenge"]
    assert {"type": "public-key", "alg": -7} in options["pubKeyCredParams"]


def test_removing_the_app_turns_the_step_off(leader_with_totp):
    owner, _ = leader_with_totp
    client = Client()
    client.force_login(owner)
    assert client.post("/account/two-factor/totp/remove/").status_code == 302
    assert not mfa.has_second_factor(owner)


def test_other_users_codes_do_not_open_an_account(leader_with_totp, company):
    owner, totp = leader_with_totp
    other = make_user("other@acme.test", company)
    client = Client()
    sign_in(client, other.email)
    assert client.session.get("_auth_user_id") == str(other.pk)


def test_five_wrong_codes_hold_the_account_even_for_the_right_one(leader_with_totp):
    owner, totp = leader_with_totp
    client = Client()
    sign_in(client, owner.email)
    for _attempt in range(5):
        client.post("/login/two-factor/", {"code": "000000"})
    response = client.post("/login/two-factor/", {"code": totp.now()})
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.text
    assert "_auth_user_id" not in client.session


def test_a_leader_removes_their_own_passkey_and_nobody_elses(owner, manager):
    mine = Authenticator.objects.create(
        user=owner, type=Authenticator.Type.WEBAUTHN, data={"name": "Phone", "credential": {}}
    )
    url = f"/account/two-factor/passkeys/{mine.pk}/remove/"
    other = Client()
    other.force_login(manager)
    assert other.post(url).status_code == 404
    client = Client()
    client.force_login(owner)
    assert "“Phone” will no longer sign you in." in client.get(url).text
    assert client.post(url)["Location"] == "/account/two-factor/passkeys/"
    assert not Authenticator.objects.filter(pk=mine.pk).exists()
