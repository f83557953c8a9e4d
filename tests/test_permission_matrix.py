"""Every URL of the project x anonymous, outsider, manager, owner -> the expected status.

The URL names are read from the resolver, so a new URL without a row here fails the test.
Another company's objects are a 404 (never a 403), so outsiders cannot learn they exist;
a manager is refused owner-only pages with a 403. Every POST needs a CSRF token.
"""

from dataclasses import dataclass

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from scoring.models import PlannedAction, WorkshopAgreement
from survey.models import CompanyDomain, CompanyInvitation, Membership, Respondent, SharedLink
from tests.factories import close, make_respondent, make_user

LOGIN = "login"  # a redirect to the login page
ROLES = ("anonymous", "outsider", "manager", "owner")


@dataclass(frozen=True)
class Row:
    method: str
    kwargs: str  # which fixture values fill the URL
    expected: tuple  # (anonymous, outsider, manager, owner)


MEMBER_PAGE = (LOGIN, 404, 200, 200)
MEMBER_ACTION = (LOGIN, 404, 302, 302)
PUBLIC = (200, 200, 200, 200)

TABLE = {
    "home": Row("get", "", PUBLIC),  # visitors get the landing page, members their home
    "favicon": Row("get", "", (302, 302, 302, 302)),
    "robots_txt": Row("get", "", PUBLIC),
    "login": Row("get", "", (200, 302, 302, 302)),
    "account_login": Row("get", "", (200, 302, 302, 302)),  # the same page, allauth's name
    "account": Row("get", "", (LOGIN, 200, 200, 200)),
    # The owner is the company's only owner: the page says to hand it over first.
    "account_delete": Row("get", "", (LOGIN, 200, 200, 200)),
    # allauth's MFA pages: one's own account only; the sign-in step exists only during a
    # sign-in (else back to the login page).
    "mfa_index": Row("get", "", (LOGIN, 200, 200, 200)),
    "mfa_authenticate": Row("get", "", (302, 302, 302, 302)),
    "mfa_activate_totp": Row("get", "", (LOGIN, 200, 200, 200)),
    "mfa_deactivate_totp": Row("get", "", (LOGIN, 404, 404, 404)),  # no app set up
    "mfa_view_recovery_codes": Row("get", "", (LOGIN, 404, 404, 404)),  # none made
    "mfa_generate_recovery_codes": Row("get", "", (LOGIN, 200, 200, 200)),
    "mfa_download_recovery_codes": Row("get", "", (LOGIN, 404, 404, 404)),
    "mfa_list_webauthn": Row("get", "", (LOGIN, 200, 200, 200)),
    "mfa_add_webauthn": Row("get", "", (LOGIN, 200, 200, 200)),
    # Another leader's passkey: a 404 for everyone else (one's own: tests/identity/test_mfa.py).
    "mfa_remove_webauthn": Row("get", "passkey", (LOGIN, 404, 404, 404)),
    "logout": Row("post", "", (302, 302, 302, 302)),
    "signup": Row("get", "", (200, 302, 302, 302)),
    "signup_sent": Row("get", "", PUBLIC),
    "signup_finish": Row("get", "signup", (200, 302, 302, 302)),
    "sso_start": Row("get", "", PUBLIC),
    # allauth's callback for a company without single sign-on (as in this world): a 404.
    "openid_connect_callback": Row("get", "sso", (404, 404, 404, 404)),
    # allauth's SAML endpoints: the IdP's post is stashed and finished by a same-site GET,
    # which (like the metadata and the single logout) is a 404 for a company without SAML.
    "saml_acs": Row("post", "saml", (302, 302, 302, 302)),
    "saml_finish_acs": Row("get", "saml", (404, 404, 404, 404)),
    "saml_sls": Row("get", "saml", (404, 404, 404, 404)),
    "saml_metadata": Row("get", "saml", (404, 404, 404, 404)),
    "password_reset": Row("get", "", PUBLIC),
    "password_reset_done": Row("get", "", PUBLIC),
    "password_reset_confirm": Row("get", "reset", PUBLIC),
    "password_reset_complete": Row("get", "", PUBLIC),
    "set_language": Row("post", "", (302, 302, 302, 302)),
    "survey:open": Row("get", "token", (302, 302, 302, 302)),
    "survey:start": Row("get", "", (404, 404, 404, 404)),  # no link opened in this browser
    "survey:respond": Row("get", "key", (403, 403, 403, 403)),  # another browser's survey
    "survey:thanks": Row("get", "key", (403, 403, 403, 403)),
    "survey:fresh_link": Row("post", "key", PUBLIC),
    "survey:flag_names": Row("post", "key", (403, 403, 403, 403)),  # not this browser's survey
    "survey:join": Row("get", "shared", (302, 302, 302, 302)),
    "survey:join_start": Row("get", "", (404, 404, 404, 404)),
    "scoring:dashboard": Row("get", "round", MEMBER_PAGE),
    "scoring:statements": Row("get", "closed", MEMBER_PAGE),
    "scoring:groups": Row("get", "closed", MEMBER_PAGE),
    "scoring:spread": Row("get", "closed", MEMBER_PAGE),
    "scoring:trends": Row("get", "closed", MEMBER_PAGE),
    "scoring:downloads": Row("get", "closed", MEMBER_PAGE),
    "scoring:guide": Row("get", "round", MEMBER_PAGE),
    "scoring:two_key": Row("get", "closed", MEMBER_PAGE),
    "scoring:two_key_heads": Row("get", "closed", MEMBER_PAGE),
    "scoring:plan": Row("get", "round", MEMBER_PAGE),
    "scoring:plan_add": Row("get", "round", MEMBER_PAGE),
    "scoring:action": Row("get", "action", MEMBER_PAGE),
    "scoring:plan_edit": Row("get", "action", MEMBER_PAGE),
    "scoring:plan_delete": Row("get", "action", MEMBER_PAGE),
    "scoring:plan_status": Row("post", "action", MEMBER_ACTION),
    "scoring:workshop": Row("get", "closed", MEMBER_PAGE),
    "scoring:workshop_agree": Row("post", "statement", MEMBER_ACTION),
    "scoring:workshop_action": Row("post", "agreement", MEMBER_ACTION),
    "scoring:answers_csv": Row("get", "closed", MEMBER_PAGE),
    "scoring:answers_xlsx": Row("get", "closed", MEMBER_PAGE),
    "scoring:summary_csv": Row("get", "closed", MEMBER_PAGE),
    "scoring:summary_xlsx": Row("get", "closed", MEMBER_PAGE),
    "scoring:summary_json": Row("get", "closed", MEMBER_PAGE),
    "scoring:comments_csv": Row("get", "closed", MEMBER_PAGE),
    "scoring:comments_xlsx": Row("get", "closed", MEMBER_PAGE),
    "workspace:company_create": Row("get", "", (LOGIN, 200, 200, 200)),
    "workspace:company": Row("get", "company", MEMBER_PAGE),
    "workspace:members": Row("get", "company", (LOGIN, 404, 403, 200)),
    "workspace:member_remove": Row("post", "membership", (LOGIN, 404, 403, 302)),
    "workspace:domains": Row("get", "company", MEMBER_PAGE),  # managers read, owners change
    "workspace:domain_check": Row("post", "domain", (LOGIN, 404, 403, 302)),
    "workspace:domain_remove": Row("get", "domain", (LOGIN, 404, 403, 200)),
    "workspace:sso": Row("get", "company", (LOGIN, 404, 403, 200)),
    "workspace:sso_test": Row("post", "company", (LOGIN, 404, 403, 302)),
    "workspace:sso_enforce": Row("post", "company", (LOGIN, 404, 403, 302)),
    "workspace:company_mfa": Row("get", "company", (LOGIN, 404, 403, 200)),
    "workspace:round_create": Row("get", "company", MEMBER_PAGE),
    "workspace:join_company": Row("get", "invitation", PUBLIC),
    "workspace:round": Row("get", "round", MEMBER_PAGE),
    "workspace:round_edit": Row("get", "round", MEMBER_PAGE),
    "workspace:round_close": Row("get", "round", MEMBER_PAGE),
    "workspace:add_people": Row("get", "round", MEMBER_PAGE),
    "workspace:fresh_link": Row("post", "round", MEMBER_ACTION),
    "workspace:remind": Row("post", "round", MEMBER_ACTION),
    "workspace:auto_reminders": Row("post", "round", MEMBER_ACTION),
    "workspace:shared_link_toggle": Row("post", "group", MEMBER_ACTION),
    "workspace:shared_link_qr": Row("get", "link", MEMBER_PAGE),
    "workspace:shared_link_qr_png": Row("get", "link", MEMBER_PAGE),
    "workspace:participants": Row("get", "round", MEMBER_PAGE),
    "workspace:invitation_preview": Row("get", "round", MEMBER_PAGE),
    "workspace:participant_resend": Row("post", "participant", MEMBER_ACTION),
    "workspace:participant_email": Row("get", "participant", MEMBER_PAGE),
    "workspace:participant_remove": Row("get", "participant", MEMBER_PAGE),
}


def url_names(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or f"<unnamed {pattern.pattern}>")


def project_url_names() -> set[str]:
    # The admin is one family, covered by test_the_admin_is_for_staff_only.
    return {
        name for name in url_names(get_resolver().url_patterns) if not name.startswith("admin:")
    }


def test_every_url_of_the_project_has_a_row():
    assert project_url_names() - TABLE.keys() == set(), "add these URL names to TABLE"
    assert TABLE.keys() - project_url_names() == set(), "these rows have no URL any more"


@pytest.fixture
def world(company, round_, owner, manager, outsider):
    extra = make_user("extra@acme.test", company)
    respondent, token = make_respondent(round_)
    invited = Respondent.objects.create(round=round_, department="sales", email="in@acme.test")
    closed = close(company.rounds.create(title="Closed"))
    link = SharedLink.objects.create(round=round_, department="sales", role="staff")
    invitation = CompanyInvitation(company=company, email="new@acme.test")
    invitation_token = invitation.issue_token()
    invitation.save()
    action = PlannedAction.objects.create(company=company, round=round_, title="Meet monthly")
    agreement = WorkshopAgreement.objects.create(round=closed, statement=3, text="Visit together")
    domain = CompanyDomain.objects.create(company=company, domain="acme.test")
    passkey = Authenticator.objects.create(
        user=extra, type=Authenticator.Type.WEBAUTHN, data={"name": "Phone", "credential": {}}
    )
    kwargs = {
        "": {},
        "reset": {"uidb64": "MQ", "token": "set-password"},
        "signup": {"token": "not-a-signed-token"},
        "sso": {"provider_id": f"company-{company.pk}"},
        "saml": {"organization_slug": f"company-{company.pk}"},
        "token": {"token": token},
        "key": {"key": respondent.key},
        "closed": {"round_id": closed.pk},
        "shared": {"token": link.token},
        "round": {"round_id": round_.pk},
        "company": {"company_id": company.pk},
        "membership": {
            "company_id": company.pk,
            "membership_id": Membership.objects.get(user=extra).pk,
        },
        "invitation": {"token": invitation_token},
        "group": {"round_id": round_.pk, "department": "sales", "role": "staff"},
        "link": {"link_id": link.pk},
        "action": {"round_id": round_.pk, "action_id": action.pk},
        "statement": {"round_id": closed.pk, "statement": 3},
        "agreement": {"round_id": closed.pk, "agreement_id": agreement.pk},
        "participant": {"round_id": round_.pk, "respondent_id": invited.pk},
        "domain": {"company_id": company.pk, "domain_id": domain.pk},
        "passkey": {"pk": passkey.pk},
    }
    users = {"anonymous": None, "outsider": outsider, "manager": manager, "owner": owner}
    return kwargs, users


CASES = [(name, role) for name in TABLE for role in ROLES]


@pytest.mark.parametrize("name,role", CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_each_url_answers_each_role_as_expected(world, name, role):
    kwargs, users = world
    row = TABLE[name]
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    url = reverse(name, kwargs=kwargs[row.kwargs])
    response = getattr(client, row.method)(url)
    expected = row.expected[ROLES.index(role)]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_for_staff_only(world, role):
    _, users = world
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    for url in ("/admin/", "/admin/survey/respondent/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


# The IdP posts its SAML response (and logout) from its own site: no CSRF token can come
# with it. The response's signature, audience and InResponseTo, tied to a sign-in this
# browser started, are what protect it (allauth, python3-saml).
CSRF_EXEMPT = {"saml_acs", "saml_sls"}


@pytest.mark.parametrize("name", sorted(TABLE.keys() - CSRF_EXEMPT))
def test_every_post_needs_a_csrf_token(world, name):
    kwargs, users = world
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["owner"])
    url = reverse(name, kwargs=kwargs[TABLE[name].kwargs])
    assert client.post(url).status_code == 403


@pytest.mark.parametrize(
    "model",
    [
        "company",
        "membership",
        "round",
        "respondent",
        "sharedlink",
        "companyinvitation",
        "companydomain",
    ],
)
def test_staff_see_every_model_in_the_admin(world, admin_client, model):
    assert admin_client.get(f"/admin/survey/{model}/").status_code == 200
