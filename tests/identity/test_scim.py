"""The directory over SCIM 2.0: tokens, the protocol as Entra ID and Okta speak it, tenants,
and what the directory does to rounds (invited by e-mail, joiners, leavers, independence).

The request bodies are those of Microsoft's "Tutorial: Develop and plan provisioning for a
SCIM endpoint in Microsoft Entra ID" (the request/response examples of its "User
operations" and "Group operations") and of Okta's "SCIM 2.0 protocol reference"
(developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20), written down here.
"""

import json
import re

import pytest
from django.core import mail
from django.test import Client

from scoring.results.published import publish_round, read
from survey.identity import directory
from survey.identity.models import DirectoryGroup, DirectoryPerson, DirectoryRound, ScimToken
from survey.models import AuditEvent, CompanyDomain, Respondent, Via, hash_token
from survey.writes.services import submit_answers
from tests.factories import close, make_company, make_user, start_survey, uniform

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
OURS = "urn:ietf:params:scim:schemas:extension:salesmarketing:2.0:User"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture(autouse=True)
def test_domains_are_addresses(monkeypatch):
    """The tests' addresses are at .test (RFC 2606), which email-validator (under
    scim2-models' email fields) refuses outside its test mode."""
    import email_validator

    monkeypatch.setattr(email_validator, "TEST_ENVIRONMENT", True)


class Scim:
    """An identity provider holding a token: JSON in, JSON out."""

    def __init__(self, value: str) -> None:
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {value}")

    def call(self, method: str, path: str, data: dict | None = None):
        response = getattr(self.client, method)(
            f"/scim/v2/{path}",
            data=json.dumps(data) if data is not None else None,
            content_type="application/scim+json",
        )
        response.json_body = json.loads(response.content) if response.content else None
        return response

    def get(self, path):
        return self.call("get", path)

    def post(self, path, data):
        return self.call("post", path, data)

    def patch(self, path, data):
        return self.call("patch", path, data)

    def put(self, path, data):
        return self.call("put", path, data)

    def delete(self, path):
        return self.call("delete", path)


@pytest.fixture
def scim(company, owner) -> Scim:
    _token, value = directory.create_token(company=company, label="Entra ID", actor=owner)
    return Scim(value)


@pytest.fixture
def verified(company):
    return CompanyDomain.objects.create(
        company=company, domain="acme.test", verified_at="2026-01-01T00:00:00Z"
    )


def entra_user(user_name: str, department: str = "Sales", **extra) -> dict:
    """Entra ID's POST /Users (the tutorial's "Create User" request), with the enterprise
    extension's department mapped from the user's Department attribute."""
    return {
        "schemas": [USER, ENTERPRISE],
        "externalId": extra.pop("externalId", user_name.split("@")[0]),
        "userName": user_name,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "givenName familyName", "familyName": "Nguyen", "givenName": "Lan"},
        "roles": [],
        ENTERPRISE: {"department": department},
        **extra,
    }


def okta_user(user_name: str, **extra) -> dict:
    """Okta's POST /Users (its reference's "Create the user" request)."""
    return {
        "schemas": [USER],
        "userName": user_name,
        "name": {"givenName": "Minh", "familyName": "Tran"},
        "emails": [{"primary": True, "value": user_name, "type": "work"}],
        "displayName": "Minh Tran",
        "locale": "vi-VN",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "1mz050nq",
        "active": True,
        **extra,
    }


# Tokens ----------------------------------------------------------------------------------


def test_the_owner_creates_a_token_shown_once_and_stored_hashed(company, owner):
    client = Client()
    client.force_login(owner)
    page = client.post(f"/companies/{company.pk}/directory/", {"label": "Okta"})
    assert page.status_code == 200
    value = re.search(r'id="token-value">([^<]+)<', page.content.decode()).group(1)
    token = ScimToken.objects.get(company=company)
    assert token.token_hash != value and len(token.token_hash) == 64
    assert value not in client.get(f"/companies/{company.pk}/directory/").content.decode()
    assert Scim(value).get("Users").status_code == 200
    assert company.audit_events.filter(action=AuditEvent.Action.SCIM_TOKEN_CREATED).exists()


def test_managers_and_outsiders_cannot_reach_the_directory_page(company, manager, outsider):
    for user, status in ((manager, 403), (outsider, 404)):
        client = Client()
        client.force_login(user)
        assert client.get(f"/companies/{company.pk}/directory/").status_code == status
        assert client.post(f"/companies/{company.pk}/directory/").status_code == status


def test_a_revoked_token_is_refused_with_401(company, owner, scim):
    assert scim.get("Users").status_code == 200
    client = Client()
    client.force_login(owner)
    token = ScimToken.objects.get(company=company)
    revoked = client.post(f"/companies/{company.pk}/directory/tokens/{token.pk}/revoke/")
    assert revoked.status_code == 302
    response = scim.get("Users")
    assert response.status_code == 401
    assert response.json_body["schemas"] == [ERROR] and response.json_body["status"] == "401"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert company.audit_events.filter(action=AuditEvent.Action.SCIM_TOKEN_REVOKED).exists()


def test_no_token_or_a_wrong_one_is_401_and_a_session_is_not_a_token(db, owner):
    assert Scim("not-a-token").get("Users").status_code == 401
    client = Client()
    client.force_login(owner)
    assert client.get("/scim/v2/Users").status_code == 401
    assert client.get("/scim/v2/ServiceProviderConfig").status_code == 401


def test_use_from_a_new_address_goes_on_the_record_once(company, scim):
    scim.get("Users")
    scim.get("Users")
    used = company.audit_events.filter(action=AuditEvent.Action.SCIM_TOKEN_USED)
    assert used.count() == 1 and "127.0.0.1" in used.get().detail
    scim.client.get("/scim/v2/Users", REMOTE_ADDR="203.0.113.9")
    assert used.count() == 2


# Discovery --------------------------------------------------------------------------------


def test_discovery_endpoints_describe_users_groups_and_our_extension(scim):
    config = scim.get("ServiceProviderConfig")
    assert config.status_code == 200 and config["Content-Type"] == "application/scim+json"
    assert config.json_body["patch"]["supported"] is True
    assert config.json_body["bulk"]["supported"] is False
    types = scim.get("ResourceTypes").json_body
    assert {r["id"] for r in types["Resources"]} == {"User", "Group"}
    assert scim.get("ResourceTypes/User").json_body["endpoint"] == "/Users"
    ids = {s["id"] for s in scim.get("Schemas").json_body["Resources"]}
    assert {USER, ENTERPRISE, OURS, GROUP} <= ids
    assert scim.get(f"Schemas/{OURS}").status_code == 200
    assert scim.get("Schemas/urn:nothing").status_code == 404


# Users as Entra ID sends them ----------------------------------------------------------------


def test_entra_creates_finds_patches_and_deletes_a_user(company, scim):
    created = scim.post("Users", entra_user("lan@acme.test"))
    assert created.status_code == 201, created.json_body
    scim_id = created.json_body["id"]
    assert created["Location"].endswith(f"/scim/v2/Users/{scim_id}")
    assert created.json_body[ENTERPRISE]["department"] == "Sales"
    person = DirectoryPerson.objects.get(company=company)
    assert directory.placement(person) == ("sales", "staff")

    # Entra first asks whether the user exists, by userName, then by externalId.
    found = scim.get('Users?filter=userName eq "Lan@Acme.test"').json_body
    assert found["schemas"] == [LIST] and found["totalResults"] == 1
    assert found["Resources"][0]["id"] == scim_id
    assert scim.get('Users?filter=externalId eq "lan"').json_body["totalResults"] == 1
    assert scim.get('Users?filter=userName eq "nobody@acme.test"').json_body["totalResults"] == 0

    # Entra's PATCH: capitalised ops, the extension's attribute by full path, "False" as text.
    patched = scim.patch(
        f"Users/{scim_id}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Marketing"},
                {"op": "Add", "path": 'emails[type eq "work"].value', "value": "lan@acme.test"},
                {"op": "Replace", "path": "name.familyName", "value": "Tran"},
                {"op": "Replace", "path": "active", "value": "False"},
            ],
        },
    )
    assert patched.status_code == 200, patched.json_body
    person.refresh_from_db()
    assert (person.active, person.family_name) == (False, "Tran")
    assert directory.placement(person) == ("marketing", "staff")
    assert scim.delete(f"Users/{scim_id}").status_code == 204
    assert scim.get(f"Users/{scim_id}").status_code == 404


def test_a_user_name_is_unique_in_a_company_regardless_of_case(scim):
    assert scim.post("Users", entra_user("lan@acme.test")).status_code == 201
    again = scim.post("Users", entra_user("LAN@acme.test", externalId="other"))
    assert again.status_code == 409 and again.json_body["scimType"] == "uniqueness"


def test_errors_are_scim_error_json(scim):
    bad_filter = scim.get('Users?filter=userName eq "unterminated')
    assert bad_filter.status_code == 400 and bad_filter.json_body["scimType"] == "invalidFilter"
    unknown = scim.get('Users?filter=userName eq "a@acme.test" and title eq "b"')
    assert unknown.status_code == 400 and unknown.json_body["scimType"] == "invalidFilter"
    no_name = scim.post("Users", {"schemas": [USER], "active": True})
    assert no_name.status_code == 400 and no_name.json_body["schemas"] == [ERROR]
    missing = scim.get("Users/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json_body["status"] == "404"
    assert scim.get("Users/not-a-uuid").status_code == 404
    assert scim.call("delete", "Users").status_code == 405
    assert scim.get("Elsewhere").status_code == 404


def test_pages_follow_start_index_and_count(scim):
    for n in range(5):
        scim.post("Users", entra_user(f"p{n}@acme.test"))
    first = scim.get("Users?startIndex=1&count=2").json_body
    assert (first["totalResults"], first["startIndex"], first["itemsPerPage"]) == (5, 1, 2)
    last = scim.get("Users?startIndex=5&count=2").json_body
    assert (last["startIndex"], last["itemsPerPage"]) == (5, 1)
    assert scim.get("Users?count=0").json_body["itemsPerPage"] == 0
    assert scim.get("Users?startIndex=0").json_body["startIndex"] == 1
    ids = [u["userName"] for u in first["Resources"]] + [
        u["userName"] for u in scim.get("Users?startIndex=3&count=2").json_body["Resources"]
    ]
    assert len(set(ids)) == 4


# Users as Okta sends them -----------------------------------------------------------------


def test_okta_creates_and_deactivates_with_its_patch_shape(company, scim):
    created = scim.post("Users", okta_user("minh@acme.test"))
    assert created.status_code == 201, created.json_body
    assert "password" not in created.json_body
    scim_id = created.json_body["id"]
    person = DirectoryPerson.objects.get(scim_id=scim_id)
    assert directory.language_of(person) == "vi"
    # Okta's deactivation: a replace without a path, the value an object.
    off = scim.patch(
        f"Users/{scim_id}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]},
    )
    assert off.status_code == 200 and off.json_body["active"] is False
    # Okta's profile update: PUT with the whole user.
    put = scim.put(f"Users/{scim_id}", okta_user("minh@acme.test", id=scim_id, displayName="M T"))
    assert put.status_code == 200 and put.json_body["displayName"] == "M T"
    person.refresh_from_db()
    assert person.active is True and person.display_name == "M T"


def test_our_extension_sets_the_role_and_department(company, scim):
    body = okta_user("head@acme.test", schemas=[USER, OURS])
    body[OURS] = {"role": "leader", "department": "marketing"}
    created = scim.post("Users", body)
    assert created.status_code == 201, created.json_body
    person = DirectoryPerson.objects.get(scim_id=created.json_body["id"])
    assert directory.placement(person) == ("marketing", "leader")


# Groups -------------------------------------------------------------------------------------


def test_groups_place_people_who_carry_no_department(company, scim):
    lan = scim.post("Users", entra_user("lan@acme.test", department="")).json_body["id"]
    minh = scim.post("Users", okta_user("minh@acme.test")).json_body["id"]
    # Okta pushes a group with its members.
    sales = scim.post(
        "Groups",
        {"schemas": [GROUP], "displayName": "Sales", "members": [{"value": lan, "display": "x"}]},
    )
    assert sales.status_code == 201, sales.json_body
    heads = scim.post("Groups", {"schemas": [GROUP], "displayName": "Heads", "members": []})
    heads_id = heads.json_body["id"]
    # Entra adds and removes members by PATCH.
    added = scim.patch(
        f"Groups/{heads_id}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Add", "path": "members", "value": [{"value": lan}, {"value": minh}]}
            ],
        },
    )
    assert added.status_code == 200, added.json_body
    lan_person = DirectoryPerson.objects.get(scim_id=lan)
    assert directory.placement(lan_person) == ("sales", "leader")
    removed = scim.patch(
        f"Groups/{heads_id}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "Remove", "path": f'members[value eq "{lan}"]'}],
        },
    )
    assert removed.status_code == 200, removed.json_body
    assert directory.placement(lan_person) == ("sales", "staff")
    # Okta renames a group with a path-less replace.
    renamed = scim.patch(
        f"Groups/{heads_id}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "value": {"id": heads_id, "displayName": "Leaders"}}],
        },
    )
    assert renamed.status_code == 200 and renamed.json_body["displayName"] == "Leaders"
    assert scim.get('Groups?filter=displayName eq "Sales"').json_body["totalResults"] == 1
    assert scim.get(f"Users/{lan}").json_body["groups"][0]["display"] == "Sales"
    assert scim.delete(f"Groups/{heads_id}").status_code == 204


# Tenants ----------------------------------------------------------------------------------


def test_a_token_of_one_company_sees_nothing_of_another(company, owner, scim):
    other = make_company(name="Beta", slug="beta")
    beta_owner = make_user("owner@beta.test", other, role="owner")
    _t, beta_value = directory.create_token(company=other, label="", actor=beta_owner)
    beta = Scim(beta_value)
    theirs = beta.post("Users", entra_user("x@beta.test")).json_body["id"]
    their_group = beta.post("Groups", {"schemas": [GROUP], "displayName": "Sales"}).json_body["id"]
    assert scim.get(f"Users/{theirs}").status_code == 404
    assert scim.patch(f"Users/{theirs}", {"schemas": [PATCH], "Operations": []}).status_code == 404
    assert scim.delete(f"Users/{theirs}").status_code == 404
    assert scim.get(f"Groups/{their_group}").status_code == 404
    assert scim.get("Users").json_body["totalResults"] == 0
    assert scim.get('Users?filter=userName eq "x@beta.test"').json_body["totalResults"] == 0
    # Nor can one put the other's user in its own group.
    refused = scim.post(
        "Groups", {"schemas": [GROUP], "displayName": "Sales", "members": [{"value": theirs}]}
    )
    assert refused.status_code == 400
    # The same userName may exist in both directories.
    assert scim.post("Users", entra_user("x@beta.test")).status_code == 201
    assert DirectoryPerson.objects.get(scim_id=theirs).company == other


# Rounds -----------------------------------------------------------------------------------


def links_in(outbox) -> dict[str, str]:
    """address -> the token of the survey link e-mailed to it."""
    found = {}
    for message in outbox:
        match = re.search(r"/s/([A-Za-z0-9_-]{32})/", message.body)
        if match:
            found[message.to[0]] = match.group(1)
    return found


def invite_directory(client: Client, survey_round) -> None:
    response = client.post(f"/rounds/{survey_round.pk}/directory/invite/")
    assert response.status_code == 302


def test_a_round_invites_the_directory_picks_up_joiners_and_removes_leavers(
    company, owner, round_, scim, django_capture_on_commit_callbacks
):
    boss = Client()
    boss.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        scim.post("Users", entra_user("a@acme.test"))
        scim.post("Users", entra_user("b@acme.test", department="Marketing"))
        scim.post("Users", entra_user("nodept@acme.test", department="Finance"))
    page = boss.get(f"/rounds/{round_.pk}/manage/").content.decode()
    assert "Invite everyone in the directory" in page and "2 people in the directory" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invite_directory(boss, round_)
    assert set(links_in(mail.outbox)) == {"a@acme.test", "b@acme.test"}
    assert DirectoryRound.objects.filter(round=round_).exists()
    assert "invited the directory" not in page
    assert (
        "people who join it are invited"
        in boss.get(f"/rounds/{round_.pk}/manage/").content.decode()
    )

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        joiner = scim.post("Users", entra_user("c@acme.test")).json_body["id"]
    assert set(links_in(mail.outbox)) == {"c@acme.test"}
    assert round_.respondents.filter(email="c@acme.test", department="sales").exists()

    # A round that did not invite the directory gets nobody from it.
    assert not Respondent.objects.exclude(round=round_).exists()

    # c answers; then the directory deactivates c and deletes a: both removed, c's answers stay.
    c = round_.respondents.get(email="c@acme.test")
    submit_answers(respondent=c, ratings=dict(enumerate(uniform(4), start=1)))
    scim.patch(
        f"Users/{joiner}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]},
    )
    a_id = scim.get('Users?filter=userName eq "a@acme.test"').json_body["Resources"][0]["id"]
    scim.delete(f"Users/{a_id}")
    c.refresh_from_db()
    a = round_.respondents.get(email="a@acme.test")
    assert c.removed_at is not None and c.answers.count() == 20
    assert a.removed_at is not None
    removed = round_.audit_events.filter(action=AuditEvent.Action.REMOVED)
    assert {e.detail for e in removed} == {"a@acme.test", "c@acme.test"}
    assert all(e.actor is None for e in removed)


def test_removal_reads_the_same_whether_or_not_they_answered(company, owner, scim):
    """Two rounds one after the other (a company has one open round at a time), each of
    which invited the directory; in the first the leaver answered. The record and the
    respondent rows the leaders can reach read the same."""
    seen = []
    for title, answers in (("One", True), ("Two", False)):
        survey_round = company.rounds.create(title=title)
        scim.post("Users", entra_user("v@acme.test"))
        directory.invite_directory(survey_round=survey_round, actor=owner, base_url="http://t")
        v = survey_round.respondents.get(email="v@acme.test")
        if answers:
            submit_answers(respondent=v, ratings=dict(enumerate(uniform(4), start=1)))
        v_id = scim.get("Users").json_body["Resources"][0]["id"]
        scim.delete(f"Users/{v_id}")
        seen.append(list(survey_round.audit_events.values_list("action", "detail", "actor")))
        assert survey_round.respondents.get(email="v@acme.test").removed_at
        close(survey_round)
    assert seen[0] == seen[1]


def answer_through_the_email(token: str, ratings: list[int]) -> Respondent:
    client = Client()
    start_survey(client, token)
    respondent = Respondent.objects.get(links__token_hash=hash_token(token))
    assert respondent.claimed_via == Via.EMAIL
    submit_answers(respondent=respondent, ratings=dict(enumerate(ratings, start=1)))
    return respondent


def test_directory_people_at_the_verified_domain_count_and_planted_ones_do_not(
    company, owner, round_, scim, verified, django_capture_on_commit_callbacks
):
    """The owner holds the token and provisions three staff at acme.test (verified) and three
    at a domain of their own: all six are invited by e-mail and all answer; at k = 3 only
    the first three make their group, the planted three are hand-delivered."""
    company.anonymity_threshold = round_.anonymity_threshold = 3
    company.save()
    round_.save()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            scim.post("Users", entra_user(f"s{n}@acme.test", department="Sales"))
            scim.post("Users", entra_user(f"m{n}@planted.test", department="Marketing"))
        boss = Client()
        boss.force_login(owner)
        invite_directory(boss, round_)
    links = links_in(mail.outbox)
    assert len(links) == 6
    for token in links.values():
        answer_through_the_email(token, uniform(4))
    round_.closed_at = round_.opened_at
    round_.save()
    result = read(publish_round(survey_round=round_))
    assert result.respondents.get(("sales", "staff")) == 3
    assert ("marketing", "staff") not in result.respondents
    assert result.roster is not None and result.roster.domains == ("acme.test",)


def test_a_planted_directory_address_among_real_ones_is_counted_as_hand_delivered(
    company, owner, round_, scim, verified, django_capture_on_commit_callbacks
):
    """Two real colleagues and one planted address at k = 3: the group stays hidden."""
    company.anonymity_threshold = round_.anonymity_threshold = 3
    company.save()
    round_.save()
    with django_capture_on_commit_callbacks(execute=True):
        scim.post("Users", entra_user("v@acme.test"))
        scim.post("Users", entra_user("w@acme.test"))
        scim.post("Users", entra_user("leader-controls@gmail.com"))
        directory.invite_directory(survey_round=round_, actor=owner, base_url="http://testserver")
    for token in links_in(mail.outbox).values():
        answer_through_the_email(token, uniform(2))
    round_.closed_at = round_.opened_at
    round_.save()
    assert ("sales", "staff") not in read(publish_round(survey_round=round_)).respondents


def test_the_pages_speak_vietnamese(company, owner, round_, scim):
    scim.post("Users", entra_user("a@acme.test"))
    client = Client()
    client.force_login(owner)
    client.cookies["django_language"] = "vi"
    page = client.get(f"/companies/{company.pk}/directory/").content.decode()
    assert "Danh bạ (SCIM)" in page and "Tạo mã truy cập" in page
    round_page = client.get(f"/rounds/{round_.pk}/manage/").content.decode()
    assert "Mời mọi người trong danh bạ" in round_page


def test_the_invite_view_refuses_outsiders_and_closed_rounds(company, owner, outsider, round_):
    client = Client()
    client.force_login(outsider)
    assert client.post(f"/rounds/{round_.pk}/directory/invite/").status_code == 404
    client.force_login(owner)
    assert client.get(f"/rounds/{round_.pk}/directory/invite/").status_code == 405
    round_.closed_at = round_.opened_at
    round_.save()
    client.post(f"/rounds/{round_.pk}/directory/invite/")
    assert not DirectoryRound.objects.exists()


def test_groups_and_people_are_deleted_with_the_company(company, scim):
    scim.post("Users", entra_user("a@acme.test"))
    scim.post("Groups", {"schemas": [GROUP], "displayName": "Sales"})
    company.delete()
    assert not DirectoryPerson.objects.exists() and not DirectoryGroup.objects.exists()


def test_a_changed_address_or_department_follows_the_directory(
    company, owner, round_, scim, django_capture_on_commit_callbacks
):
    """A person without a department is not invited until the directory gives them one; an
    address that changes is removed at the old one and invited afresh at the new one."""
    directory.invite_directory(survey_round=round_, actor=owner, base_url="http://testserver")
    scim_id = scim.post("Users", entra_user("old@acme.test", department="")).json_body["id"]
    assert not round_.respondents.exists()
    with django_capture_on_commit_callbacks(execute=True):
        scim.patch(
            f"Users/{scim_id}",
            {
                "schemas": [PATCH],
                "Operations": [
                    {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Marketing"}
                ],
            },
        )
    assert round_.respondents.get(email="old@acme.test", removed_at=None).department == "marketing"
    scim.patch(
        f"Users/{scim_id}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "replace", "path": 'emails[type eq "work"].value', "value": "new@acme.test"},
                {"op": "replace", "path": "userName", "value": "new@acme.test"},
            ],
        },
    )
    assert round_.respondents.get(email="old@acme.test").removed_at is not None
    assert round_.respondents.get(email="new@acme.test").removed_at is None
