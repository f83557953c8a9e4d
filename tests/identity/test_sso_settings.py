"""The owner's single sign-on page: configure, test the connection against the real provider,
require it; and what requiring it does to password sign-in."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from survey.identity import sso as rules
from survey.identity.models import CompanySSO
from survey.models import AuditEvent, CompanyDomain
from tests.factories import make_company, make_user
from tests.identity.conftest import free_port
from tests.identity.test_sso_oidc import (
    actions,
    callback_uri,
    provider_url,
    signed_in_as,
    through_provider,
)

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"  # tests.factories.make_user's


@pytest.fixture
def acme(db):
    company = make_company()
    owner = make_user("owner@acme.test", company, role="owner")
    CompanyDomain.objects.create(company=company, domain="acme.test", verified_at=timezone.now())
    client = Client()
    client.force_login(owner)
    return company, owner, client


def url(name: str, company) -> str:
    return reverse(f"workspace:{name}", kwargs={"company_id": company.pk})


def save(client: Client, company, **data):
    return client.post(url("sso", company), {"protocol": "oidc"} | data)


def registered(acme, oidc_provider) -> dict:
    company, _owner, client = acme
    registration = oidc_provider.register(callback_uri(company))
    response = save(
        client,
        company,
        issuer=oidc_provider.issuer,
        client_id=registration["client_id"],
        secret=registration["client_secret"],
    )
    assert response.status_code == 302
    return registration


def test_the_page_shows_the_redirect_uri_and_the_verified_domains(acme):
    company, _owner, client = acme
    page = client.get(url("sso", company)).content.decode()
    assert callback_uri(company) in page
    assert "acme.test" in page
    assert "openid email profile" in page


def test_saving_stores_the_secret_in_alllauths_app_and_puts_no_secret_on_the_record(
    acme, oidc_provider
):
    company, _owner, client = acme
    registration = registered(acme, oidc_provider)
    sso = CompanySSO.objects.get(company=company)
    assert sso.app.provider == "openid_connect"
    assert sso.app.provider_id == f"company-{company.pk}"
    assert (sso.app.client_id, sso.app.secret) == (
        registration["client_id"],
        registration["client_secret"],
    )
    assert sso.issuer == oidc_provider.issuer
    event = company.audit_events.get(action=AuditEvent.Action.SSO_CONFIGURED)
    assert registration["client_secret"] not in event.detail
    assert registration["client_id"] in event.detail
    # An empty secret keeps the stored one.
    save(client, company, issuer=oidc_provider.issuer, client_id="changed", secret="")
    sso.app.refresh_from_db()
    assert (sso.app.client_id, sso.app.secret) == ("changed", registration["client_secret"])


def test_the_issuer_must_be_https_outside_the_tests(acme, settings):
    company, _owner, client = acme
    settings.SSO_ALLOW_HTTP_ISSUER = False
    response = save(client, company, issuer="http://idp.acme.test", client_id="a", secret="b")
    assert response.status_code == 200
    assert "must start with https://" in response.content.decode()
    assert not CompanySSO.objects.exists()


def test_testing_the_connection_shows_what_the_provider_publishes(acme, oidc_provider):
    company, _owner, client = acme
    registered(acme, oidc_provider)
    response = client.post(url("sso_test", company), follow=True)
    page = response.content.decode()
    assert "The connection works." in page
    assert f"{oidc_provider.issuer}/auth" in page
    assert f"{oidc_provider.issuer}/token" in page
    sso = CompanySSO.objects.get(company=company)
    assert sso.tested and sso.tested_summary["keys"] == 1
    event = company.audit_events.get(action=AuditEvent.Action.SSO_TESTED)
    assert event.detail == f"ok: {oidc_provider.issuer}, 1 key(s)"


@pytest.mark.parametrize(
    "issuer,reason",
    [
        ("{issuer}/tenant", "answered HTTP 404"),
        ("http://127.0.0.1:{port}", "Could not reach"),
    ],
)
def test_a_failed_test_says_why_and_leaves_it_untested(acme, oidc_provider, issuer, reason):
    company, _owner, client = acme
    registration = registered(acme, oidc_provider)
    client.post(url("sso_test", company))
    assert CompanySSO.objects.get(company=company).tested
    wrong = issuer.format(issuer=oidc_provider.issuer, port=free_port())
    save(client, company, issuer=wrong, client_id=registration["client_id"], secret="")
    page = client.post(url("sso_test", company), follow=True).content.decode()
    assert "The test failed" in page and reason in page
    assert not CompanySSO.objects.get(company=company).tested
    assert company.audit_events.filter(
        action=AuditEvent.Action.SSO_TESTED, detail__startswith="failed:"
    ).exists()


def test_it_can_be_required_only_after_a_successful_test_of_these_settings(acme, oidc_provider):
    company, _owner, client = acme
    registration = registered(acme, oidc_provider)
    page = client.post(url("sso_enforce", company), {"enforced": "1"}, follow=True)
    assert "Test the connection with these settings" in page.content.decode()
    client.post(url("sso_test", company))
    # Changing a setting after the test needs a new test.
    save(client, company, issuer=oidc_provider.issuer, client_id="other", secret="")
    client.post(url("sso_enforce", company), {"enforced": "1"})
    assert not CompanySSO.objects.get(company=company).enforced
    save(client, company, issuer=oidc_provider.issuer, client_id=registration["client_id"])
    client.post(url("sso_test", company))
    client.post(url("sso_enforce", company), {"enforced": "1"})
    sso = CompanySSO.objects.get(company=company)
    assert sso.enforced
    assert AuditEvent.Action.SSO_ENFORCED in actions(company)
    # While required, its settings cannot change.
    response = save(client, company, issuer="http://x.test", client_id="x", secret="y")
    assert response.status_code == 200
    sso.app.refresh_from_db()
    assert sso.app.client_id == registration["client_id"]
    client.post(url("sso_enforce", company), {"enforced": "0"})
    assert not CompanySSO.objects.get(company=company).enforced
    assert actions(company)[-1] == AuditEvent.Action.SSO_RELAXED


def test_it_cannot_be_required_without_a_verified_domain(acme, oidc_provider):
    company, owner, client = acme
    registered(acme, oidc_provider)
    client.post(url("sso_test", company))
    company.domains.update(verified_at=None)
    page = client.post(url("sso_enforce", company), {"enforced": "1"}, follow=True)
    assert "Verify a company domain first" in page.content.decode()
    assert not CompanySSO.objects.get(company=company).enforced


def enforce(acme, oidc_provider) -> None:
    company, owner, client = acme
    registered(acme, oidc_provider)
    client.post(url("sso_test", company))
    client.post(url("sso_enforce", company), {"enforced": "1"})
    assert rules.enforced_for_address("lan@acme.test") is not None


def test_when_required_a_leader_at_the_domain_cannot_use_a_password(acme, oidc_provider):
    company, _owner, _client = acme
    make_user("lan@acme.test", company)
    outsider = make_user("ha@other.test", company)
    enforce(acme, oidc_provider)
    client = Client()
    response = client.post(reverse("login"), {"username": "Lan@acme.test", "password": PASSWORD})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Acme requires its leaders to sign in through the company" in page
    assert f'action="{reverse("sso_start")}"' in page
    assert 'name="email" value="lan@acme.test"' in page
    assert signed_in_as(client) is None
    # The same answer with a wrong password: the refusal says nothing about the password.
    wrong = client.post(reverse("login"), {"username": "lan@acme.test", "password": "nope"})
    assert "requires its leaders to sign in" in wrong.content.decode()
    # Another domain's leader of the same company still signs in with a password.
    assert client.post(reverse("login"), {"username": "ha@other.test", "password": PASSWORD})[
        "Location"
    ] == reverse("home")
    assert signed_in_as(client) == outsider


def test_the_button_on_the_refusal_goes_to_the_company_provider(acme, oidc_provider):
    company, _owner, _client = acme
    lan = make_user("lan@acme.test", company)
    enforce(acme, oidc_provider)

    client = Client()
    start = provider_url(client.post(reverse("sso_start"), {"email": "lan@acme.test"}))
    assert start.startswith(oidc_provider.issuer + "/auth?")
    assert "login_hint=lan%40acme.test" in start
    assert through_provider(client, start, "lan@acme.test").status_code == 302
    assert signed_in_as(client) == lan


@pytest.mark.parametrize("field", ["client_id", "secret"])
def test_the_test_shows_the_provider_our_client_and_catches_a_wrong_id_or_secret(
    acme, oidc_provider, field
):
    company, _owner, client = acme
    registration = registered(acme, oidc_provider)
    settings = {"issuer": oidc_provider.issuer, "client_id": registration["client_id"]}
    save(client, company, **(settings | {field: "not-what-the-provider-knows"}))
    page = client.post(url("sso_test", company), follow=True).content.decode()
    assert "The provider refused the client ID or the client secret." in page
    assert not CompanySSO.objects.get(company=company).tested
    save(client, company, **settings, secret=registration["client_secret"])
    page = client.post(url("sso_test", company), follow=True).content.decode()
    assert "The connection works." in page and "accepted by the provider" in page
