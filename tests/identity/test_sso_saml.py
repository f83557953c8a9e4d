"""Single sign-on over SAML 2.0 against a real IdP (pysaml2's, tests/identity/saml_idp.py)
with signed assertions: our side is allauth's SAML provider (python3-saml underneath)."""

import re
from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client as DjangoClient
from django.urls import reverse
from django.utils import timezone

from survey.identity import sso as rules
from survey.identity.models import CompanySSO
from survey.models import AuditEvent, CompanyDomain
from tests.factories import make_company, make_user
from tests.identity.conftest import free_port
from tests.identity.test_sso_oidc import actions, provider_url, signed_in_as

pytestmark = pytest.mark.django_db
User = get_user_model()
# python3-saml refuses a single-label host such as "testserver" in our ACS URL.
HOST = "app.example.test"


@pytest.fixture(autouse=True)
def host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]


def Client() -> DjangoClient:  # noqa: N802 (reads as the test client it is)
    return DjangoClient(HTTP_HOST=HOST)


@pytest.fixture
def acme(db):
    company = make_company()
    owner = make_user("owner@acme.test", company, role="owner")
    CompanyDomain.objects.create(company=company, domain="acme.test", verified_at=timezone.now())
    return company, owner


def configure(acme, idp, **source) -> CompanySSO:
    """As an owner would: the IdP's metadata URL, the test, then our metadata to the IdP."""
    company, owner = acme
    sso = rules.configure_saml(
        company=company, actor=owner, **({"metadata_url": idp.entity_id} | source)
    )
    rules.test_connection(sso=sso, actor=owner, redirect_uri="")
    slug = {"organization_slug": rules.provider_id(company)}
    metadata = Client().get(reverse("saml_metadata", kwargs=slug))
    assert metadata.status_code == 200
    idp.trust(metadata.content.decode())
    return sso


def idp_answer(client: DjangoClient, email: str, login: str) -> dict[str, str]:
    """Through the IdP's login page to the form it posts back to us."""
    url = provider_url(client.post(reverse("sso_start"), {"email": email}))
    browser = requests.Session()
    page = browser.get(url, timeout=10).text
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    back = browser.post(url.split("/sso/")[0] + "/login", {"key": key, "login": login}, timeout=10)
    fields = dict(re.findall(r'name="(SAMLResponse|RelayState)" value="([^"]*)"', back.text))
    fields["action"] = re.search(r'action="([^"]+)"', back.text).group(1)
    return fields


def post_back(client: DjangoClient, answer: dict[str, str]):
    action = urlsplit(answer["action"]).path
    data = {k: v for k, v in answer.items() if k != "action"}
    acs = client.post(action, data)
    assert acs.status_code == 302, acs.content
    return client.get(acs["Location"])


def sign_in(client: DjangoClient, email: str, login: str | None = None):
    return post_back(client, idp_answer(client, email, login or email))


def test_a_new_leader_gets_an_account_at_the_first_saml_sign_in(acme, saml_idp):
    company, _owner = acme
    sso = configure(acme, saml_idp)
    client = Client()
    response = sign_in(client, "lan@acme.test")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    lan = signed_in_as(client)
    assert lan.username == lan.email == "lan@acme.test" and not lan.has_usable_password()
    assert not lan.memberships.exists()
    assert SocialAccount.objects.get(user=lan).provider == sso.app.provider_id
    assert AuditEvent.Action.SSO_ACCOUNT in actions(company)


def test_an_existing_account_is_linked(acme, saml_idp):
    company, _owner = acme
    configure(acme, saml_idp)
    minh = make_user("minh@acme.test", company)
    client = Client()
    assert sign_in(client, "minh@acme.test").status_code == 302
    assert signed_in_as(client) == minh
    assert company.audit_events.get(action=AuditEvent.Action.SSO_LINKED).actor == minh


@pytest.mark.parametrize("mode", ["wrong_audience", "expired", "unsigned", "sha1"])
def test_an_assertion_that_does_not_check_out_is_refused(acme, saml_idp, mode):
    configure(acme, saml_idp)
    saml_idp.mode = mode
    client = Client()
    response = sign_in(client, "lan@acme.test")
    assert response.status_code == 400
    assert "did not check out" in response.content.decode()
    assert signed_in_as(client) is None
    assert not User.objects.filter(email="lan@acme.test").exists()


def test_a_replayed_assertion_is_refused(acme, saml_idp):
    configure(acme, saml_idp)
    first = Client()
    answer = idp_answer(first, "lan@acme.test", "lan@acme.test")
    assert post_back(first, answer).status_code == 302
    thief = Client()
    response = post_back(thief, answer)
    assert response.status_code == 403  # allauth: no sign-in of this browser awaits it
    assert signed_in_as(thief) is None
    again = post_back(first, answer)  # the same browser, once more
    assert again.status_code == 403  # its state was used up by the first


def test_a_user_of_another_domain_is_refused(acme, saml_idp):
    configure(acme, saml_idp)
    client = Client()
    response = sign_in(client, "lan@acme.test", login="khoa@elsewhere.test")
    assert response.status_code == 403
    assert signed_in_as(client) is None
    assert not User.objects.filter(email="khoa@elsewhere.test").exists()


def test_a_pinned_certificate_refuses_assertions_signed_by_another_key(acme, saml_idp, tmp_path):
    from tests.identity.saml_idp import self_signed

    other = tmp_path / "other"
    other.mkdir()
    _key, cert = self_signed(other)
    sso = configure(acme, saml_idp, certificate=cert.read_text())
    assert sso.__class__.objects.get(pk=sso.pk).tested_summary["pinned_differs"] is True
    client = Client()
    assert sign_in(client, "lan@acme.test").status_code == 400
    assert signed_in_as(client) is None


def test_an_idp_that_is_down_fails_the_test_and_offers_no_sign_in(acme):
    company, owner = acme
    sso = rules.configure_saml(
        company=company, actor=owner, metadata_url=f"http://127.0.0.1:{free_port()}/metadata"
    )
    with pytest.raises(rules.SSOError, match="Could not reach"):
        rules.test_connection(sso=sso, actor=owner, redirect_uri="")
    response = Client().post(reverse("sso_start"), {"email": "lan@acme.test"})
    assert response.status_code == 200
    assert "Log in with your password instead" in response.content.decode()


def test_the_owner_sets_it_up_on_the_page_and_requires_it(acme, saml_idp):
    company, owner = acme
    lan = make_user("lan@acme.test", company)
    client = Client()
    client.force_login(owner)
    page = client.get(reverse("workspace:sso", kwargs={"company_id": company.pk})).content
    assert f"/accounts/saml/company-{company.pk}/acs/" in page.decode()
    url = reverse("workspace:sso", kwargs={"company_id": company.pk})
    client.post(url, {"protocol": "saml", "metadata_url": saml_idp.entity_id})
    shown = client.post(
        reverse("workspace:sso_test", kwargs={"company_id": company.pk}), follow=True
    ).content.decode()
    assert "The connection works." in shown and saml_idp.base + "/sso/redirect" in shown
    client.post(
        reverse("workspace:sso_enforce", kwargs={"company_id": company.pk}), {"enforced": "1"}
    )
    assert CompanySSO.objects.get(company=company).enforced
    refused = Client().post(
        reverse("login"), {"username": "lan@acme.test", "password": "pw-for-tests-1"}
    )
    assert "requires its leaders to sign in" in refused.content.decode()
    slug = {"organization_slug": rules.provider_id(company)}
    saml_idp.trust(Client().get(reverse("saml_metadata", kwargs=slug)).content.decode())
    leader = Client()
    assert sign_in(leader, "lan@acme.test").status_code == 302
    assert signed_in_as(leader) == lan


def test_our_metadata_and_the_sign_in_wait_for_a_tested_idp(acme, saml_idp):
    company, owner = acme
    rules.configure_saml(company=company, actor=owner, metadata_url=saml_idp.entity_id)
    slug = {"organization_slug": rules.provider_id(company)}
    assert Client().get(reverse("saml_metadata", kwargs=slug)).status_code == 404
    response = Client().post(reverse("sso_start"), {"email": "lan@acme.test"})
    assert "Log in with your password instead" in response.content.decode()
