"""A leader's own account: the name, and deleting the account (refused for the last owner)."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.test import Client

from survey.models import AuditEvent, Membership
from tests.factories import make_company, make_user

User = get_user_model()


def test_the_name_is_edited_on_the_account_page(manager):
    client = Client()
    client.force_login(manager)
    page = client.get("/account/")
    assert page.status_code == 200 and "manager@acme.test" in page.text
    assert client.post("/account/", {"name": "  Nguyễn Thị   Lan "})["Location"] == "/account/"
    manager.refresh_from_db()
    assert manager.get_full_name() == "Nguyễn Thị Lan"
    assert client.post("/account/", {"name": ""}).status_code == 200  # a name is needed


def test_the_account_page_does_not_follow_a_next_to_another_site(manager):
    client = Client()
    client.force_login(manager)
    response = client.post("/account/", {"name": "Lan", "next": "https://evil.test/"})
    assert response["Location"] == "/account/"


def test_a_manager_deletes_their_account_and_the_owners_see_it_on_the_record(
    company, owner, manager
):
    manager.first_name = "Minh Tran"
    manager.save()
    TOTP.activate(manager, pyotp.random_base32())
    client = Client()
    client.force_login(manager)
    page = client.get("/account/delete/")
    assert page.status_code == 200
    assert "Acme (Manager)" in page.text
    assert "Delete my account" in page.text
    response = client.post("/account/delete/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert not User.objects.filter(pk=manager.pk).exists()
    assert not Membership.objects.filter(user_id=manager.pk).exists()
    assert not Authenticator.objects.filter(user_id=manager.pk).exists()
    event = AuditEvent.objects.get(company=company, action=AuditEvent.Action.ACCOUNT_DELETED)
    assert event.detail == "Minh Tran <manager@acme.test>"
    assert "_auth_user_id" not in client.session  # signed out
    assert "Your account is deleted." in client.get("/login/").text


def test_the_last_owner_must_hand_the_company_over_first(company, owner):
    client = Client()
    client.force_login(owner)
    page = client.get("/account/delete/")
    assert "You are the only owner of these companies" in page.text
    assert "Delete my account" not in page.text
    assert client.post("/account/delete/").status_code == 200
    assert User.objects.filter(pk=owner.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ACCOUNT_DELETED).exists()


def test_an_owner_with_another_owner_may_go(company, owner):
    make_user("second@acme.test", company, role="owner")
    client = Client()
    client.force_login(owner)
    assert client.post("/account/delete/").status_code == 302
    assert not User.objects.filter(pk=owner.pk).exists()


def test_the_refusal_names_only_the_companies_it_is_about(company, owner):
    shared = make_company(name="Shared", slug="shared")
    Membership.objects.create(user=owner, company=shared, role="owner")
    make_user("other-owner@shared.test", shared, role="owner")
    client = Client()
    client.force_login(owner)
    page = client.get("/account/delete/").text
    assert f"/companies/{company.pk}/members/" in page
    assert f"/companies/{shared.pk}/members/" not in page


@pytest.mark.parametrize("path", ["/account/", "/account/delete/"])
def test_vietnamese_account_pages(manager, path):
    client = Client(headers={"accept-language": "vi"})
    client.force_login(manager)
    page = client.get(path).text
    assert "Your account" not in page and "Delete your account" not in page
