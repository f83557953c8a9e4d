"""Every URL of the project x anonymous, outsider, viewer, manager, owner -> the expected status.

The URL names are read from the resolver, so a new URL without a row here fails the test.
Another company's objects are a 404 (never a 403), so outsiders cannot learn they exist;
a manager is refused owner-only pages with a 403, and a viewer (who reads published
results, downloads and the plan) every page that changes or runs a round, invites, shows
who is invited, or changes the plan. Every POST needs a CSRF token.
"""

from dataclasses import dataclass

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from scoring.models import PlannedAction, WorkshopAgreement
from survey.identity import directory
from survey.identity.models import DirectoryGroup, DirectoryPerson
from survey.models import (
    ApiToken,
    CompanyDomain,
    CompanyInvitation,
    Membership,
    Respondent,
    SharedLink,
)
from survey.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.factories import closed_round, make_respondent, make_user

LOGIN = "login"  # a redirect to the login page
ROLES = ("anonymous", "outsider", "viewer", "manager", "owner")


@dataclass(frozen=True)
class Row:
    method: str
    kwargs: str  # which fixture values fill the URL
    expected: tuple  # (anonymous, outsider, viewer, manager, owner)


MEMBER_PAGE = (LOGIN, 404, 200, 200, 200)  # viewers read it
MEMBER_ACTION = (LOGIN, 404, 302, 302, 302)
CHANGE_PAGE = (LOGIN, 404, 403, 200, 200)  # viewers are refused
CHANGE_ACTION = (LOGIN, 404, 403, 302, 302)
OWNER_PAGE = (LOGIN, 404, 403, 403, 200)
OWNER_ACTION = (LOGIN, 404, 403, 403, 302)
PUBLIC = (200, 200, 200, 200, 200)
SCIM = (401,) * 5

TABLE = {
    "home": Row("get", "", PUBLIC),  # visitors get the landing page, members their home
    "favicon": Row("get", "", (302, 302, 302, 302, 302)),
    "robots_txt": Row("get", "", PUBLIC),
    "data_request": Row("get", "", PUBLIC),
    "login": Row("get", "", (200, 302, 302, 302, 302)),
    "logout": Row("post", "", (302, 302, 302, 302, 302)),
    "signup": Row("get", "", (200, 302, 302, 302, 302)),
    "account_login": Row("get", "", (200, 302, 302, 302, 302)),  # the same page, allauth's name
    "account": Row("get", "", (LOGIN, 200, 200, 200, 200)),
    # The owner is the company's only owner: the page says to hand it over first.
    "account_delete": Row("get", "", (LOGIN, 200, 200, 200, 200)),
    # allauth's MFA pages: one's own account only; the sign-in step exists only during a
    # sign-in (else back to the login page).
    "mfa_index": Row("get", "", (LOGIN, 200, 200, 200, 200)),
    "mfa_authenticate": Row("get", "", (302, 302, 302, 302, 302)),
    "mfa_activate_totp": Row("get", "", (LOGIN, 200, 200, 200, 200)),
    "mfa_deactivate_totp": Row("get", "", (LOGIN, 404, 404, 404, 404)),  # no app set up
    "mfa_view_recovery_codes": Row("get", "", (LOGIN, 404, 404, 404, 404)),  # none made
    "mfa_generate_recovery_codes": Row("get", "", (LOGIN, 200, 200, 200, 200)),
    "mfa_download_recovery_codes": Row("get", "", (LOGIN, 404, 404, 404, 404)),
    "mfa_list_webauthn": Row("get", "", (LOGIN, 200, 200, 200, 200)),
    "mfa_add_webauthn": Row("get", "", (LOGIN, 200, 200, 200, 200)),
    # Another leader's passkey: a 404 for everyone else (one's own: tests/identity/test_mfa.py).
    "mfa_remove_webauthn": Row("get", "passkey", (LOGIN, 404, 404, 404, 404)),
    "signup_sent": Row("get", "", PUBLIC),
    "signup_finish": Row("get", "signup", (200, 302, 302, 302, 302)),
    "sso_start": Row("get", "", PUBLIC),
    # allauth's callback for a company without single sign-on (as in this world): a 404.
    "openid_connect_callback": Row("get", "sso", (404, 404, 404, 404, 404)),
    # allauth's SAML endpoints: the IdP's post is stashed and finished by a same-site GET,
    # which (like the metadata and the single logout) is a 404 for a company without SAML.
    "saml_acs": Row("post", "saml", (302, 302, 302, 302, 302)),
    "saml_finish_acs": Row("get", "saml", (404, 404, 404, 404, 404)),
    "saml_sls": Row("get", "saml", (404, 404, 404, 404, 404)),
    "saml_metadata": Row("get", "saml", (404, 404, 404, 404, 404)),
    "password_reset": Row("get", "", PUBLIC),
    "password_reset_done": Row("get", "", PUBLIC),
    "password_reset_confirm": Row("get", "reset", PUBLIC),
    "password_reset_complete": Row("get", "", PUBLIC),
    "set_language": Row("post", "", (302, 302, 302, 302, 302)),
    "survey:open": Row("get", "token", (302, 302, 302, 302, 302)),
    "survey:start": Row("get", "", (404, 404, 404, 404, 404)),  # no link opened in this browser
    "survey:respond": Row("get", "key", (403, 403, 403, 403, 403)),  # another browser's survey
    "survey:thanks": Row("get", "key", (403, 403, 403, 403, 403)),
    "survey:fresh_link": Row("post", "key", PUBLIC),
    "survey:flag_names": Row("post", "key", (403, 403, 403, 403, 403)),  # not this browser's survey
    "survey:join": Row("get", "shared", (302, 302, 302, 302, 302)),
    "survey:join_start": Row("get", "", (404, 404, 404, 404, 404)),
    "scoring:dashboard": Row("get", "round", MEMBER_PAGE),
    "scoring:statements": Row("get", "closed", MEMBER_PAGE),
    "scoring:groups": Row("get", "closed", MEMBER_PAGE),
    "scoring:spread": Row("get", "closed", MEMBER_PAGE),
    "scoring:trends": Row("get", "closed", MEMBER_PAGE),
    "scoring:downloads": Row("get", "closed", MEMBER_PAGE),
    "scoring:guide": Row("get", "round", MEMBER_PAGE),
    "scoring:two_key": Row("get", "closed", MEMBER_PAGE),
    "scoring:two_key_heads": Row("get", "closed", CHANGE_PAGE),
    "scoring:plan": Row("get", "round", MEMBER_PAGE),
    "scoring:plan_add": Row("get", "round", CHANGE_PAGE),
    "scoring:action": Row("get", "action", MEMBER_PAGE),
    "scoring:plan_edit": Row("get", "action", CHANGE_PAGE),
    "scoring:plan_delete": Row("get", "action", CHANGE_PAGE),
    "scoring:plan_status": Row("post", "action", CHANGE_ACTION),
    "scoring:workshop": Row("get", "closed", MEMBER_PAGE),
    "scoring:workshop_agree": Row("post", "statement", CHANGE_ACTION),
    "scoring:workshop_action": Row("post", "agreement", CHANGE_ACTION),
    "scoring:answers_csv": Row("get", "closed", MEMBER_PAGE),
    "scoring:answers_xlsx": Row("get", "closed", MEMBER_PAGE),
    "scoring:summary_csv": Row("get", "closed", MEMBER_PAGE),
    "scoring:summary_xlsx": Row("get", "closed", MEMBER_PAGE),
    "scoring:summary_json": Row("get", "closed", MEMBER_PAGE),
    "scoring:comments_csv": Row("get", "closed", MEMBER_PAGE),
    "scoring:comments_xlsx": Row("get", "closed", MEMBER_PAGE),
    "scoring:board_deck": Row("get", "closed", MEMBER_PAGE),
    "workspace:company_create": Row("get", "", (LOGIN, 200, 200, 200, 200)),
    "workspace:company": Row("get", "company", MEMBER_PAGE),
    "workspace:members": Row("get", "company", OWNER_PAGE),
    "workspace:member_remove": Row("post", "membership", OWNER_ACTION),
    "workspace:domains": Row("get", "company", MEMBER_PAGE),  # managers read, owners change
    "workspace:domain_check": Row("post", "domain", OWNER_ACTION),
    "workspace:domain_remove": Row("get", "domain", OWNER_PAGE),
    "workspace:data": Row("get", "company", OWNER_PAGE),
    "workspace:data_export": Row("get", "company", OWNER_PAGE),
    "workspace:company_delete": Row("get", "company", OWNER_PAGE),
    "workspace:company_delete_undo": Row("post", "company", OWNER_ACTION),
    "workspace:sso": Row("get", "company", OWNER_PAGE),
    "workspace:sso_test": Row("post", "company", OWNER_ACTION),
    "workspace:sso_enforce": Row("post", "company", OWNER_ACTION),
    "workspace:round_create": Row("get", "company", CHANGE_PAGE),
    "workspace:webhooks": Row("get", "company", OWNER_PAGE),
    "workspace:webhook": Row("get", "endpoint", OWNER_PAGE),
    "workspace:webhook_enable": Row("post", "endpoint", OWNER_ACTION),
    "workspace:webhook_resend": Row("post", "delivery", OWNER_ACTION),
    "workspace:webhook_remove": Row("post", "endpoint", OWNER_ACTION),
    "workspace:directory": Row("get", "company", OWNER_PAGE),
    "workspace:directory_token_revoke": Row("post", "scim_token", OWNER_ACTION),
    "workspace:invite_directory": Row("post", "round", CHANGE_ACTION),
    # SCIM: the company's identity provider with a bearer token; a signed-in session is not
    # one, so every role is refused alike (401, tested with tokens in tests/identity/).
    "scim:root": Row("get", "", SCIM),
    "scim:search": Row("post", "", SCIM),
    "scim:config": Row("get", "", SCIM),
    "scim:resource_types": Row("get", "", SCIM),
    "scim:resource_type": Row("get", "scim_type", SCIM),
    "scim:schemas": Row("get", "", SCIM),
    "scim:schema": Row("get", "scim_schema", SCIM),
    "scim:users": Row("get", "", SCIM),
    "scim:user_search": Row("post", "", SCIM),
    "scim:user": Row("get", "scim_user", SCIM),
    "scim:groups": Row("get", "", SCIM),
    "scim:group_search": Row("post", "", SCIM),
    "scim:group": Row("get", "scim_group", SCIM),
    "scim:unknown": Row("get", "scim_rest", SCIM),
    "workspace:company_mfa": Row("get", "company", OWNER_PAGE),
    "workspace:join_company": Row("get", "invitation", PUBLIC),
    "workspace:round": Row("get", "round", CHANGE_PAGE),
    "workspace:round_edit": Row("get", "round", CHANGE_PAGE),
    "workspace:round_close": Row("get", "round", CHANGE_PAGE),
    "workspace:add_people": Row("get", "round", CHANGE_PAGE),
    "workspace:fresh_link": Row("post", "round", CHANGE_ACTION),
    "workspace:remind": Row("post", "round", CHANGE_ACTION),
    "workspace:auto_reminders": Row("post", "round", CHANGE_ACTION),
    "workspace:shared_link_toggle": Row("post", "group", CHANGE_ACTION),
    "workspace:shared_link_qr": Row("get", "link", CHANGE_PAGE),
    "workspace:shared_link_qr_png": Row("get", "link", CHANGE_PAGE),
    "workspace:participants": Row("get", "round", CHANGE_PAGE),
    "workspace:invitation_preview": Row("get", "round", CHANGE_PAGE),
    "workspace:participant_resend": Row("post", "participant", CHANGE_ACTION),
    "workspace:participant_email": Row("get", "participant", CHANGE_PAGE),
    "workspace:participant_remove": Row("get", "participant", CHANGE_PAGE),
    "workspace:api_tokens": Row("get", "company", OWNER_PAGE),
    "workspace:api_token_revoke": Row("post", "api_token", OWNER_ACTION),
    # The API knows no session: without a bearer token every operation is a 401, whoever
    # is signed in (tests/api/test_token_matrix.py has the token x operation matrix). Its
    # schema, docs and root are public: they hold no company's data.
    "api:api-root": Row("get", "", (404,) * 5),
    "api:openapi-json": Row("get", "", PUBLIC),
    "api:openapi-view": Row("get", "", PUBLIC),
    "api:company": Row("get", "", (401,) * 5),
    "api:rounds": Row("get", "", (401,) * 5),
    "api:round": Row("get", "round", (401,) * 5),
    "api:results": Row("get", "closed", (401,) * 5),
    "api:trends": Row("get", "closed", (401,) * 5),
    "api:actions": Row("get", "round", (401,) * 5),
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
    closed = closed_round(company)  # one open round per company: round_ is the open one
    link = SharedLink.objects.create(round=round_, department="sales", role="staff")
    invitation = CompanyInvitation(company=company, email="new@acme.test")
    invitation_token = invitation.issue_token()
    invitation.save()
    action = PlannedAction.objects.create(company=company, round=round_, title="Meet monthly")
    agreement = WorkshopAgreement.objects.create(round=closed, statement=3, text="Visit together")
    domain = CompanyDomain.objects.create(company=company, domain="acme.test")
    # A switched-off endpoint: "send again" queues nothing the test cannot run.
    endpoint = WebhookEndpoint.objects.create(
        company=company, url="https://8.8.8.8/hook", events=["round.closed"], is_active=False
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="round.closed", message_id="msg_matrix", payload={}
    )
    api_token = ApiToken.objects.create(
        company=company, name="BI", token_hash="0" * 64, expires_at=closed.opened_at
    )
    scim_token, _value = directory.create_token(company=company, label="Okta", actor=owner)
    person = DirectoryPerson.objects.create(company=company, user_name="p@acme.test")
    group = DirectoryGroup.objects.create(company=company, display_name="Sales")
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
        "endpoint": {"company_id": company.pk, "endpoint_id": endpoint.pk},
        "delivery": {
            "company_id": company.pk,
            "endpoint_id": endpoint.pk,
            "delivery_id": delivery.pk,
        },
        "api_token": {"company_id": company.pk, "token_id": api_token.pk},
        "scim_token": {"company_id": company.pk, "token_id": scim_token.pk},
        "scim_type": {"name": "User"},
        "scim_schema": {"urn": "urn:ietf:params:scim:schemas:core:2.0:User"},
        "scim_user": {"scim_id": person.scim_id},
        "scim_group": {"scim_id": group.scim_id},
        "scim_rest": {"rest": "Elsewhere"},
        "passkey": {"pk": passkey.pk},
    }
    viewer = make_user("viewer@acme.test", company, role=Membership.Role.VIEWER)
    users = {
        "anonymous": None,
        "outsider": outsider,
        "viewer": viewer,
        "manager": manager,
        "owner": owner,
    }
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
# SCIM requests come from the identity provider with a bearer token and no cookie: CSRF
# protects cookies, and the token is what authenticates them (survey.identity.scim).
CSRF_EXEMPT = {"saml_acs", "saml_sls"} | {name for name in TABLE if name.startswith("scim:")}
# The API reads only a bearer token, never a cookie, so no other site can make a browser
# send its credentials: CSRF does not apply, and it answers only GET (a POST is a 405).
API_NAMES = {name for name in TABLE if name.startswith("api:")}


@pytest.mark.parametrize("name", sorted(API_NAMES))
def test_the_api_answers_no_post(world, name):
    kwargs, users = world
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["owner"])
    url = reverse(name, kwargs=kwargs[TABLE[name].kwargs])
    assert client.post(url).status_code in (403, 404, 405)  # the root: a CSRF refusal


@pytest.mark.parametrize("name", sorted(TABLE.keys() - CSRF_EXEMPT - API_NAMES))
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
        "apitoken",
        "scimtoken",
        "directoryperson",
        "directorygroup",
    ],
)
def test_staff_see_every_model_in_the_admin(world, admin_client, model):
    assert admin_client.get(f"/admin/survey/{model}/").status_code == 200
