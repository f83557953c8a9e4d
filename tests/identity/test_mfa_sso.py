"""Single sign-on with a second factor, against the real OpenID provider and SAML IdP the
tests start: allauth runs its MFA stage after the provider's answer, as after a password.
And a leader whose provider gives no name is asked for it once, then goes on."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.urls import reverse

from tests.factories import make_user
from tests.identity import test_sso_oidc as oidc
from tests.identity import test_sso_saml as saml

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def with_totp(user) -> pyotp.TOTP:
    """A second factor set up as the setup page does it (allauth's own TOTP.activate); the
    leader has a name (or the sign-in would ask for it first)."""
    user.first_name = "Someone Named"
    user.save()
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return pyotp.TOTP(secret)


def test_an_oidc_sign_in_then_asks_for_the_second_factor(oidc_provider):
    acme = oidc.acme.__wrapped__(None)
    oidc.configure(acme, oidc_provider)
    lan = make_user("lan@acme.test", acme[0])
    totp = with_totp(lan)
    client = oidc.Client()
    response = oidc.sign_in(client, "lan@acme.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert oidc.signed_in_as(client) is None  # not until the code
    assert client.post(reverse("mfa_authenticate"), {"code": "123456"}).status_code == 200
    assert oidc.signed_in_as(client) is None
    done = client.post(reverse("mfa_authenticate"), {"code": totp.now()})
    assert done.status_code == 302 and done["Location"] == reverse("home")
    assert oidc.signed_in_as(client) == lan


def test_a_saml_sign_in_then_asks_for_the_second_factor(saml_idp, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, saml.HOST]
    acme = saml.acme.__wrapped__(None)
    saml.configure(acme, saml_idp)
    minh = make_user("minh@acme.test", acme[0])
    totp = with_totp(minh)
    client = saml.Client()
    response = saml.sign_in(client, "minh@acme.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert oidc.signed_in_as(client) is None
    done = client.post(reverse("mfa_authenticate"), {"code": totp.now()})
    assert done.status_code == 302
    assert oidc.signed_in_as(client) == minh
    assert Authenticator.objects.filter(user=minh).exists()


def test_the_name_comes_from_the_provider(oidc_provider):
    acme = oidc.acme.__wrapped__(None)
    oidc.configure(acme, oidc_provider)
    client = oidc.Client()
    response = oidc.sign_in(client, "lan@acme.test")
    assert response["Location"] == reverse("home")
    assert oidc.signed_in_as(client).get_full_name() == "Lan Nguyen"


def test_a_leader_without_a_name_from_the_provider_is_asked_for_it_once(oidc_provider):
    acme = oidc.acme.__wrapped__(None)
    oidc.configure(acme, oidc_provider)
    client = oidc.Client()
    response = oidc.sign_in(client, "hoa@acme.test")
    assert response.status_code == 302
    assert response["Location"] == "/account/?next=%2F"
    page = client.get(response["Location"])
    assert "Tell us your name" in page.text
    saved = client.post("/account/?next=%2F", {"name": "Hoà Phạm", "next": "/"})
    assert saved["Location"] == "/"
    hoa = oidc.signed_in_as(client)
    assert hoa.get_full_name() == "Hoà Phạm"
    again = oidc.Client()
    assert oidc.sign_in(again, "hoa@acme.test")["Location"] == reverse("home")
