import re
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from survey.models import CompanyInvitation, Membership, Respondent, Round
from tests.factories import (
    answered_yesterday,
    make_company,
    make_respondent,
    make_user,
    start_survey,
    uniform,
)


def test_whoever_creates_a_company_owns_it(client, db):
    user = make_user("lan@acme.test")
    client.force_login(user)
    response = client.post(
        "/companies/new/", {"name": "Công ty Hòa Bình", "anonymity_threshold": 4}
    )
    membership = Membership.objects.get(user=user)
    assert membership.role == "owner"
    assert membership.company.anonymity_threshold == 4
    assert response["Location"] == f"/companies/{membership.company_id}/"
    page = client.get(response["Location"]).content.decode()
    assert "Company created. Next, open your first round." in page
    assert "Open your first round" in page


def test_two_companies_with_one_name_get_different_slugs(client, db):
    client.force_login(make_user("lan@acme.test"))
    for _ in range(2):
        client.post("/companies/new/", {"name": "Acme", "anonymity_threshold": 5})
    assert len({m.company.slug for m in Membership.objects.all()}) == 2


def test_a_consultant_sees_each_company_and_can_switch(client, company, manager):
    other = make_company(name="Beta", slug="beta")
    Membership.objects.create(user=manager, company=other)
    client.force_login(manager)
    html = client.get("/").content.decode()
    assert "Acme" in html and "Beta" in html
    assert f'href="/companies/{other.pk}/"' in html  # the switcher
    client.get(f"/companies/{other.pk}/")
    assert client.session["company_id"] == other.pk


def test_the_owner_invites_a_manager_who_joins_after_signing_up(
    client, company, owner, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/companies/{company.pk}/members/", {"email": "Minh@Acme.test"})
    assert [m.to for m in mailoutbox] == [["minh@acme.test"]]
    assert "<" not in mailoutbox[0].subject
    link = re.search(r"http://testserver(/invitations/\S+/)", mailoutbox[0].body).group(1)
    assert CompanyInvitation.objects.get().token_hash not in mailoutbox[0].body

    client.logout()
    page = client.get(link).content.decode()
    assert "Create an account" in page
    password = "correct-horse-battery-9"
    client.post("/signup/", {"email": "minh@acme.test", "next": link})
    finish = re.search(r"http://testserver(/signup/finish/\S+/)", mailoutbox[-1].body).group(1)
    assert (
        client.post(finish, {"name": "Lan", "password1": password, "password2": password})[
            "Location"
        ]
        == link
    )
    response = client.post(link)
    assert response["Location"] == f"/companies/{company.pk}/"
    minh = Membership.objects.get(user__username="minh@acme.test")
    assert minh.role == "manager" and minh.company == company
    assert client.get(link).status_code == 404  # used once


def test_an_invitation_is_only_for_the_invited_address(client, company, owner, outsider):
    invitation = CompanyInvitation(company=company, email="minh@acme.test")
    token = invitation.issue_token()
    invitation.save()
    client.force_login(outsider)
    assert "logged in with another email" in client.get(f"/invitations/{token}/").content.decode()
    client.post(f"/invitations/{token}/")
    assert not Membership.objects.filter(user=outsider, company=company).exists()


def test_only_owners_manage_members(client, company, owner, manager):
    client.force_login(manager)
    assert client.get(f"/companies/{company.pk}/members/").status_code == 403
    mine = Membership.objects.get(user=manager)
    client.force_login(owner)
    response = client.post(f"/companies/{company.pk}/members/{mine.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=mine.pk).exists()


def test_an_owner_cannot_remove_themselves(client, company, owner):
    client.force_login(owner)
    me = Membership.objects.get(user=owner)
    page = client.post(f"/companies/{company.pk}/members/{me.pk}/remove/", follow=True)
    assert "You cannot remove yourself" in page.content.decode()
    assert Membership.objects.filter(pk=me.pk).exists()


def round_form(**extra):
    return {
        "title": "Spring",
        "anonymity_threshold": 4,
        "sales_head": "me",
        "sales_head_email": "",
        "marketing_head": "someone",
        "marketing_head_email": "Hoa@Acme.test",
    } | extra


def test_opening_a_round_invites_the_two_heads(
    client, company, owner, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/companies/{company.pk}/rounds/new/", round_form())
    round = Round.objects.get()
    assert response["Location"] == f"/rounds/{round.pk}/manage/"
    assert round.anonymity_threshold == 4
    heads = {(r.email, r.department, r.role) for r in round.respondents.all()}
    assert heads == {
        ("owner@acme.test", "sales", "leader"),
        ("hoa@acme.test", "marketing", "leader"),
    }
    assert sorted(m.to[0] for m in mailoutbox) == ["hoa@acme.test", "owner@acme.test"]
    assert all("heads' view" in m.body for m in mailoutbox)
    page = client.get(response["Location"]).content.decode()
    assert "Your personal link as the head of sales, shown only now" in page


def test_the_threshold_defaults_to_the_companys_and_stays_within_3_to_10(client, company, owner):
    client.force_login(owner)
    form = client.get(f"/companies/{company.pk}/rounds/new/").content.decode()
    assert 'name="anonymity_threshold" value="5"' in form
    for bad in (2, 11):
        response = client.post(
            f"/companies/{company.pk}/rounds/new/", round_form(anonymity_threshold=bad)
        )
        assert response.status_code == 200
    assert not Round.objects.exists()


def test_the_database_refuses_a_threshold_outside_3_to_10(company):
    with pytest.raises(IntegrityError):
        Round.objects.create(company=company, title="x", anonymity_threshold=2)


@pytest.mark.parametrize(
    "extra,error",
    [
        ({"marketing_head": "me"}, "head of one department only"),
        ({"marketing_head_email": ""}, "Enter their email address"),
    ],
)
def test_round_heads_are_checked(client, company, owner, extra, error):
    client.force_login(owner)
    response = client.post(f"/companies/{company.pk}/rounds/new/", round_form(**extra))
    assert error in response.content.decode()


def test_the_threshold_can_rise_but_not_fall_once_someone_is_invited(client, round_, manager):
    # Issue 15: the rule was "once an answer is in", which told the leader that someone had.
    client.force_login(manager)
    url = f"/rounds/{round_.pk}/edit/"
    assert client.post(url, {"title": "S", "anonymity_threshold": 4}).status_code == 302
    make_respondent(round_)  # invited, not answered
    response = client.post(url, {"title": "S", "anonymity_threshold": 3})
    assert "can be raised but not lowered" in response.content.decode()
    assert client.post(url, {"title": "Spring", "anonymity_threshold": 6}).status_code == 302
    round_.refresh_from_db()
    assert (round_.title, round_.anonymity_threshold) == ("Spring", 6)
    event = round_.audit_events.get(action="threshold", detail="4 → 6")
    assert event.actor == manager


def test_the_close_date_can_be_extended_and_is_on_the_record(client, round_, manager):
    client.force_login(manager)
    url = f"/rounds/{round_.pk}/edit/"
    past = client.post(url, {"title": "S", "anonymity_threshold": 5, "closes_on": "2020-01-01"})
    assert "Choose a close date from today on." in past.content.decode()
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert (
        client.post(url, {"title": "S", "anonymity_threshold": 5, "closes_on": later}).status_code
        == 302
    )
    round_.refresh_from_db()
    assert timezone.localtime(round_.closes_at).date().isoformat() == later
    assert round_.audit_events.filter(action="close_date", actor=manager).exists()


def test_closing_asks_first_publishes_and_cannot_be_undone(client, round_, manager):
    _, token = make_respondent(round_)
    client.force_login(manager)
    confirm = client.get(f"/rounds/{round_.pk}/close/").content.decode()
    assert "Close this round?" in confirm and "cannot be reopened" in confirm
    round_.refresh_from_db()
    assert round_.is_open

    page = client.post(f"/rounds/{round_.pk}/close/", follow=True).content.decode()
    assert "Round closed and its results published." in page
    client.logout()
    closed = client.get(f"/s/{token}/", follow=True)
    assert closed.status_code == 200 and "The results of Spring" in closed.content.decode()
    round_.refresh_from_db()
    assert round_.published is not None
    assert round_.audit_events.filter(action="closed", actor=manager).exists()


def test_a_round_past_its_close_date_closes_on_the_first_request(client, round_, manager):
    make_respondent(round_, ratings=uniform(3))
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    client.force_login(manager)
    page = client.get(f"/rounds/{round_.pk}/manage/").content.decode()
    assert "Closed on" in page and "automatically" in page
    round_.refresh_from_db()
    assert round_.closed_at == round_.closes_at and round_.published is not None


def test_the_survey_page_shows_the_rounds_threshold(client, company):
    round = Round.objects.create(company=company, title="R", anonymity_threshold=7)
    _, token = make_respondent(round)
    assert "groups of at least 7 people" in client.get(start_survey(client, token)).content.decode()


def test_a_new_round_takes_the_companys_threshold_unless_given(db):
    company = make_company(threshold=6)
    assert Round.objects.create(company=company, title="R").anonymity_threshold == 6


def test_empty_states_say_what_to_do_next(client, company, owner, round_):
    client.force_login(owner)
    page = client.get(f"/rounds/{round_.pk}/manage/").content.decode()
    assert "Nobody is invited yet" in page
    client.force_login(make_user("new@acme.test"))
    assert "Create your company" in client.get("/").content.decode()


def test_home_shows_no_response_rate_until_k_of_each_staff_group_answered_by_midnight(
    client, round_, manager
):
    # Issue 15: the rate waits for k answers (not k people invited), counted to midnight.
    for _ in range(4):
        make_respondent(round_, "sales", "staff", uniform(3))
    make_respondent(round_, "sales", "staff")
    answered_yesterday(round_)
    client.force_login(manager)
    hidden = "response rate shown once 5 people of each staff group have answered"
    assert hidden in client.get("/").content.decode()
    make_respondent(round_, "sales", "staff", uniform(3))  # the fifth answers today
    assert hidden in client.get("/").content.decode()
    answered_yesterday(round_)  # the next day
    assert "5 of 6 answered (83%)" in client.get("/").content.decode()


def test_respondents_count_once_per_email_in_a_round(round_):
    Respondent.objects.create(round=round_, department="sales", email="a@x.test")
    Respondent.objects.create(round=round_, department="sales", email="")
    Respondent.objects.create(round=round_, department="sales", email="")
    with pytest.raises(IntegrityError):
        Respondent.objects.create(round=round_, department="sales", email="a@x.test")
