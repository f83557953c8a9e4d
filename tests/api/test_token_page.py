"""The owner's page of API tokens: create (shown once), the list with last use, revoke
(refused from the next request), all on the record."""

from django.test import Client

from survey.models import ApiToken, AuditEvent, hash_token


def test_an_owner_creates_sees_once_and_revokes(db, company, owner):
    client = Client()
    client.force_login(owner)
    url = f"/companies/{company.pk}/api/"
    created = client.post(url, {"name": "Power BI", "scopes": ["results"], "days": "30"})
    assert created.status_code == 200 and "no-store" in created["Cache-Control"]
    token = created.context["created"]["token"]
    row = ApiToken.objects.get()
    assert row.token_hash == hash_token(token) and row.scopes == ["results"]
    assert token in created.content.decode()
    again = client.get(url)
    assert token not in again.content.decode() and "Power BI" in again.content.decode()
    assert "never" in again.content.decode()

    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/v1/company").status_code == 200
    assert "127.0.0.1" in client.get(url).content.decode()  # last used from

    revoked = client.post(f"/companies/{company.pk}/api/{row.pk}/revoke/")
    assert revoked.status_code == 302
    assert api.get("/api/v1/company").status_code == 401
    actions = list(
        AuditEvent.objects.filter(company=company).order_by("pk").values_list("action", flat=True)
    )
    assert actions == [
        AuditEvent.Action.API_TOKEN_CREATED,
        AuditEvent.Action.API_TOKEN_NEW_ADDRESS,
        AuditEvent.Action.API_TOKEN_REVOKED,
    ]


def test_a_token_needs_a_name_and_a_scope(db, company, owner):
    client = Client()
    client.force_login(owner)
    response = client.post(f"/companies/{company.pk}/api/", {"name": "", "days": "30"})
    assert response.status_code == 200 and response.context["created"] is None
    assert set(response.context["form"].errors) == {"name", "scopes"}
    assert not ApiToken.objects.exists()
