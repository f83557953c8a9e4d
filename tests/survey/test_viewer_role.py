"""The viewer role: reads published results, downloads and the plan; changes nothing,
invites nobody, and does not see who is invited. The permission matrix holds every URL;
these tests hold what the pages say and show."""

import pytest
from django.core import mail
from django.urls import reverse

from scoring.models import PlannedAction
from survey.models import CompanyInvitation, Membership
from tests.factories import close, make_user


@pytest.fixture
def viewer(company):
    return make_user("viewer@acme.test", company, role=Membership.Role.VIEWER)


def test_a_refused_viewer_reads_why(client, viewer, round_):
    client.force_login(viewer)
    response = client.get(reverse("workspace:participants", kwargs={"round_id": round_.pk}))
    assert response.status_code == 403
    assert "You are a viewer of this company" in response.text
    assert "Only the company" not in response.text


def test_a_manager_refused_an_owner_page_reads_that_owners_only_may(client, manager, company):
    client.force_login(manager)
    response = client.get(reverse("workspace:members", kwargs={"company_id": company.pk}))
    assert response.status_code == 403
    assert "Only the company" in response.text


def test_the_company_page_hides_opening_a_round_from_a_viewer(client, viewer, company, round_):
    client.force_login(viewer)
    text = client.get(reverse("workspace:company", kwargs={"company_id": company.pk})).text
    assert reverse("workspace:round_create", kwargs={"company_id": company.pk}) not in text
    # The round's row leads to its results, not to the page that runs it.
    assert reverse("workspace:round", kwargs={"round_id": round_.pk}) not in text
    assert reverse("scoring:dashboard", kwargs={"round_id": round_.pk}) in text


def test_the_plan_shows_a_viewer_no_control(client, viewer, manager, company, round_):
    action = PlannedAction.objects.create(company=company, round=round_, title="Meet monthly")
    plan = reverse("scoring:plan", kwargs={"round_id": round_.pk})
    edit = reverse("scoring:plan_edit", kwargs={"round_id": round_.pk, "action_id": action.pk})
    client.force_login(viewer)
    text = client.get(plan).text
    assert "Meet monthly" in text
    assert edit not in text and "Mark done" not in text
    assert reverse("scoring:plan_add", kwargs={"round_id": round_.pk}) not in text
    page = client.get(
        reverse("scoring:action", kwargs={"round_id": round_.pk, "action_id": action.pk})
    )
    assert page.status_code == 200
    assert "Add to the log" not in page.text and "Save the owners" not in page.text
    client.force_login(manager)
    assert edit in client.get(plan).text


def test_a_viewer_cannot_post_to_a_page_it_reads(client, viewer, company):
    closed = close(company.rounds.create(title="Closed"))
    client.force_login(viewer)
    guide = reverse("scoring:guide", kwargs={"round_id": closed.pk})
    assert client.get(guide).status_code == 200
    assert client.post(guide).status_code == 403
    action = PlannedAction.objects.create(company=company, round=closed, title="Meet")
    page = reverse("scoring:action", kwargs={"round_id": closed.pk, "action_id": action.pk})
    assert client.post(page, {"form": "progress", "text": "done"}).status_code == 403


def test_an_owner_invites_a_viewer_who_joins_as_a_viewer(
    client, owner, company, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    members = reverse("workspace:members", kwargs={"company_id": company.pk})
    assert 'value="viewer"' in client.get(members).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            members, {"email": "ceo@acme.test", "role": "viewer", "language": "en"}
        )
    assert response.status_code == 302
    invitation = CompanyInvitation.objects.get(email="ceo@acme.test")
    assert invitation.role == Membership.Role.VIEWER
    assert "read the results" in mail.outbox[-1].body
    token = mail.outbox[-1].body.split("/invitations/")[1].split("/")[0]
    ceo = make_user("ceo@acme.test")
    client.force_login(ceo)
    join = reverse("workspace:join_company", kwargs={"token": token})
    assert "a viewer" in client.get(join).text
    client.post(join)
    assert Membership.objects.get(user=ceo, company=company).role == Membership.Role.VIEWER


def test_viewers_are_not_offered_as_heads_or_owners(client, viewer, manager, company):
    from scoring.results.reads import members_of

    closed = close(company.rounds.create(title="Closed"))
    assert viewer not in members_of(closed)
    assert manager in members_of(closed)


def test_the_refusal_says_why_in_vietnamese(client, viewer, round_):
    client.force_login(viewer)
    url = reverse("workspace:round_edit", kwargs={"round_id": round_.pk})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 403
    assert "Vai trò của bạn chỉ được đọc" in response.text
