"""Single sign-on through a real OpenID provider (tests/identity/conftest.py starts it): the
browser's part is Django's test client on our side and `requests` on the provider's side,
through its own login and consent pages; every back-channel call (discovery, token, keys,
userinfo) is our code talking to the provider over the loopback."""

import html
import re
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from survey.identity import sso as rules
from survey.models import AuditEvent, CompanyDomain
from tests.factories import make_company, make_user
from tests.identity.conftest import free_port

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def acme(db):
    company = make_company()
    owner = make_user("owner@acme.test", company, role="owner")
    CompanyDomain.objects.create(company=company, domain="acme.test", verified_at=timezone.now())
    return company, owner


def callback_uri(company) -> str:
    path = reverse("openid_connect_callback", kwargs={"provider_id": rules.provider_id(company)})
    return "http://testserver" + path


def configure(acme, provider, *, client_name="Sales & Marketing Alignment", **changes):
    company, owner = acme
    client = provider.register(callback_uri(company), name=client_name)
    settings = {
        "issuer": provider.issuer,
        "client_id": client["client_id"],
        "secret": client["client_secret"],
    } | changes
    return rules.configure(company=company, actor=owner, **settings)


def through_provider(client: Client, url: str, login: str):
    """Follow the provider's redirects and fill its login and consent pages until it sends
    the browser back to us; our answer to that, or the provider's page if it stops there."""
    browser = requests.Session()
    for _step in range(12):
        if url.startswith("http://testserver/"):
            parts = urlsplit(url)
            return client.get(f"{parts.path}?{parts.query}")
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            continue
        form = re.search(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', response.text, re.S)
        if response.status_code >= 400 or form is None:
            return response
        action, body = form.groups()
        prompt = re.search(r'name="prompt" value="(\w+)"', body).group(1)
        data = {"prompt": prompt} | ({"login": login, "password": "x"} if prompt == "login" else {})
        response = browser.post(
            urljoin(url, html.unescape(action)), data=data, allow_redirects=False, timeout=10
        )
        assert response.is_redirect, response.text
        url = urljoin(url, response.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


def provider_url(response) -> str:
    """Where "Sign in with your company" sends the browser: a page that moves on by itself
    (meta refresh) and a link, both to the provider's authorization endpoint."""
    assert response.status_code == 200, response.content.decode()
    page = response.content.decode()
    link = html.unescape(re.search(r'href="([^"]+)" id="sso-continue"', page).group(1))
    assert f'<meta http-equiv="refresh" content="0;url={html.escape(link)}">' in page
    return link


def sign_in(client: Client, email: str, login: str | None = None):
    start = client.post(reverse("sso_start"), {"email": email})
    return through_provider(client, provider_url(start), login or email.lower())


def signed_in_as(client: Client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def actions(company) -> list[str]:
    return list(company.audit_events.order_by("pk").values_list("action", flat=True))


def test_a_new_leader_gets_an_account_of_no_company_at_the_first_sign_in(acme, oidc_provider):
    company, _owner = acme
    sso = configure(acme, oidc_provider)
    client = Client()
    response = sign_in(client, "Lan@Acme.test")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    lan = signed_in_as(client)
    assert lan.username == lan.email == "lan@acme.test"
    assert not lan.has_usable_password()
    assert not lan.memberships.exists()  # nothing until an owner invites them
    account = SocialAccount.objects.get(user=lan)
    assert (account.provider, account.uid) == (sso.app.provider_id, "lan@acme.test")
    assert actions(company) == [AuditEvent.Action.SSO_CONFIGURED, AuditEvent.Action.SSO_ACCOUNT]
    assert company.audit_events.get(action=AuditEvent.Action.SSO_ACCOUNT).actor == lan
    assert "Signed in as lan@acme.test." in client.get(reverse("home")).content.decode()

    again = Client()
    assert sign_in(again, "lan@acme.test").status_code == 302
    assert signed_in_as(again) == lan
    assert User.objects.filter(email="lan@acme.test").count() == 1
    assert actions(company).count(AuditEvent.Action.SSO_ACCOUNT) == 1


def test_an_existing_account_is_linked_by_its_verified_address(acme, oidc_provider):
    company, _owner = acme
    configure(acme, oidc_provider)
    minh = make_user("minh@acme.test", company)
    client = Client()
    assert sign_in(client, "minh@acme.test").status_code == 302
    assert signed_in_as(client) == minh
    assert SocialAccount.objects.filter(user=minh).count() == 1
    assert company.audit_events.get(action=AuditEvent.Action.SSO_LINKED).actor == minh
    assert User.objects.count() == 2


def test_an_address_the_provider_did_not_verify_is_neither_linked_nor_created(acme, oidc_provider):
    company, _owner = acme
    configure(acme, oidc_provider)
    vy = make_user("vy@acme.test", company)
    client = Client()
    response = sign_in(client, "vy@acme.test")
    assert response.status_code == 403
    assert "did not say it verified the address vy@acme.test" in response.content.decode()
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.filter(user=vy).exists()


def test_a_user_of_another_domain_is_refused(acme, oidc_provider):
    configure(acme, oidc_provider)
    client = Client()
    response = sign_in(client, "lan@acme.test", login="khoa@elsewhere.test")
    assert response.status_code == 403
    assert "khoa@elsewhere.test, which is not an address at Acme" in response.content.decode()
    assert signed_in_as(client) is None
    assert not User.objects.filter(email="khoa@elsewhere.test").exists()
    assert not SocialAccount.objects.exists()


def test_an_id_token_for_another_audience_is_refused(acme, oidc_provider):
    configure(acme, oidc_provider, client_name="wrong-audience")
    client = Client()
    response = sign_in(client, "lan@acme.test")
    assert response.status_code == 400
    assert "did not check out" in response.content.decode()
    assert signed_in_as(client) is None
    assert not User.objects.filter(email="lan@acme.test").exists()


def test_a_wrong_client_secret_is_refused(acme, oidc_provider):
    configure(acme, oidc_provider, secret="not-the-secret")
    client = Client()
    response = sign_in(client, "lan@acme.test")
    assert response.status_code == 400
    assert signed_in_as(client) is None


def test_an_unknown_client_id_stops_at_the_provider(acme, oidc_provider):
    configure(acme, oidc_provider, client_id="nobody-registered-this")
    client = Client()
    response = sign_in(client, "lan@acme.test")
    assert isinstance(response, requests.Response) and response.status_code == 400
    assert "invalid_client" in response.text
    assert signed_in_as(client) is None


def test_a_provider_that_is_down_gets_a_clear_page(acme, oidc_provider):
    configure(acme, oidc_provider, issuer=f"http://127.0.0.1:{free_port()}")
    client = Client()
    response = client.post(reverse("sso_start"), {"email": "lan@acme.test"})
    assert response.status_code == 502
    assert "could not reach your company's sign-in service" in response.content.decode()


def test_sign_out_ends_the_local_session(acme, oidc_provider):
    company, _owner = acme
    configure(acme, oidc_provider)
    lan = make_user("lan@acme.test", company)
    client = Client()
    sign_in(client, "lan@acme.test")
    assert signed_in_as(client) == lan
    client.post(reverse("logout"))
    assert signed_in_as(client) is None
    page = client.get(reverse("workspace:company", kwargs={"company_id": company.pk}))
    assert page.status_code == 302 and page["Location"].startswith("/login/")


def test_the_pages_on_the_way_speak_vietnamese(acme, oidc_provider):
    configure(acme, oidc_provider)
    client = Client(headers={"accept-language": "vi"})
    start = client.post(reverse("sso_start"), {"email": "lan@acme.test"})
    assert "Đang đưa bạn tới trang đăng nhập của Acme" in start.content.decode()
    through_provider(client, provider_url(start), "lan@acme.test")
    assert "Đã đăng nhập với lan@acme.test." in client.get(reverse("home")).content.decode()
    refused = Client(headers={"accept-language": "vi"}).post(
        reverse("sso_start"), {"email": "someone@nowhere.test"}
    )
    assert "Hãy đăng nhập bằng mật khẩu." in refused.content.decode()


def test_an_address_without_single_sign_on_is_told_to_use_a_password(acme):
    response = Client().post(reverse("sso_start"), {"email": "someone@nowhere.test"})
    assert response.status_code == 200
    assert "Log in with your password instead" in response.content.decode()


def test_an_unverified_domain_has_no_single_sign_on(acme, oidc_provider):
    company, _owner = acme
    configure(acme, oidc_provider)
    company.domains.update(verified_at=None)
    assert rules.sso_for_address("lan@acme.test") is None


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser", "inactive"])
def test_a_provider_never_opens_an_operators_or_a_disabled_account(acme, oidc_provider, flag):
    configure(acme, oidc_provider)
    lan = make_user("lan@acme.test")
    if flag == "inactive":
        lan.is_active = False
    else:
        setattr(lan, flag, True)
    lan.save()
    client = Client()
    response = sign_in(client, "lan@acme.test")
    assert response.status_code == 403
    assert "cannot be opened through single sign-on" in response.content.decode()
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists()
