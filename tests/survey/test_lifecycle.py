"""The data lifecycle: retention erasing a closed round's personal data (its pages and
files read the same afterwards), the export archive, deleting a company (no row of it or
its people left, counted over every table), and a person's request for their data."""

import csv
import io
import re
import zipfile
from datetime import timedelta

import pytest
from allauth.socialaccount.models import SocialApp
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from scoring.joint_models import ActionOwner, ActionProgress, RoundHead, WorkshopAgreement
from scoring.models import PlannedAction, PublishedResult
from survey.identity.models import CompanySSO
from survey.lifecycle.daily import run_daily
from survey.models import (
    Answer,
    AuditEvent,
    Comment,
    CompanyDomain,
    CompanyInvitation,
    DailyRun,
    Respondent,
    SharedLink,
    SurveyLink,
)
from survey.writes.services import replace_comments
from tests.factories import close, make_company, make_respondent, make_user, uniform

RESULT_PAGES = ["dashboard", "statements", "groups", "spread", "workshop", "plan", "guide"]
FILES = ["answers_csv", "summary_csv", "summary_json", "comments_csv", "answers_xlsx"]


def answered_round(company, title="Spring", prefix="p"):
    """A round of three answering staff per department (named, addressed, commenting) and a
    head each, closed and published."""
    survey_round = company.rounds.create(title=title, anonymity_threshold=3)
    for department in ("sales", "marketing"):
        for n in range(3):
            person, _ = make_respondent(survey_round, department, ratings=uniform(2 + n))
            Respondent.objects.filter(pk=person.pk).update(
                name=f"{prefix} {department} {n}",
                email=f"{prefix}.{department}{n}@{company.slug}.test",
                device_hash="d" * 64,
            )
            replace_comments(person, {1: f"Why {department} {n}", 0: f"Open {department} {n}"})
        head, _ = make_respondent(survey_round, department, role="leader", ratings=uniform(4))
        Respondent.objects.filter(pk=head.pk).update(
            email=f"{prefix}.head.{department}@{company.slug}.test"
        )
    return close(survey_round)


def normalised(content: bytes) -> bytes:
    """A page without what changes on every request (the CSRF token, a CSP nonce)."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb'nonce="[^"]+"', b"", content)


def xlsx_sheets(content: bytes) -> dict[str, bytes]:
    """A workbook's parts but its metadata (which holds the moment it was written)."""
    book = zipfile.ZipFile(io.BytesIO(content))
    return {n: book.read(n) for n in book.namelist() if not n.startswith("docProps/")}


def snapshot(client, survey_round):
    pages = {}
    for name in RESULT_PAGES + FILES:
        response = client.get(reverse(f"scoring:{name}", kwargs={"round_id": survey_round.pk}))
        assert response.status_code == 200, name
        content = response.content
        pages[name] = xlsx_sheets(content) if name.endswith("xlsx") else normalised(content)
    return pages


@pytest.fixture
def acme(db):
    company = make_company(threshold=3)
    return company, make_user("owner@acme.test", company, role="owner")


def test_the_retention_erases_a_closed_round_whose_pages_and_files_read_the_same(client, acme):
    company, owner = acme
    spring = answered_round(company)
    recent = answered_round(company, "Autumn", prefix="q")
    ongoing = company.rounds.create(title="Open", anonymity_threshold=3)
    make_respondent(ongoing, "sales", email="late@doomed.test")
    other = make_company(name="Other", slug="other", threshold=3)
    elsewhere = answered_round(other, prefix="o")
    client.force_login(owner)
    before = snapshot(client, spring)
    data_page = reverse("workspace:data", kwargs={"company_id": company.pk})
    response = client.post(data_page, {"days": "90"}, follow=True)  # the message shown there
    assert response.redirect_chain == [(data_page, 302)]
    company.refresh_from_db()
    assert company.retention_days == 90
    # Autumn closed 89 days before the moved clock, Spring 91 days before.
    moved = timezone.now() + timedelta(days=91)
    type(recent).objects.filter(pk=recent.pk).update(closed_at=moved - timedelta(days=89))
    type(spring).objects.filter(pk=spring.pk).update(closed_at=moved - timedelta(days=91))

    erased = run_daily(now=moved)

    assert erased is not None and erased.rounds == 1 and erased.companies == 0
    assert run_daily(now=moved + timedelta(hours=1)) is None  # once a day
    people = Respondent.objects.filter(round=spring)
    assert people.count() == 8
    assert set(people.values_list("name", "email", "device_hash", "guess")) == {("", "", "", "")}
    assert not Answer.objects.filter(respondent__round=spring).exists()
    assert not Comment.objects.filter(respondent__round=spring).exists()
    assert not SurveyLink.objects.filter(respondent__round=spring).exists()
    assert snapshot(client, spring) == before
    spring.refresh_from_db()
    assert spring.personal_data_erased_at is not None
    assert AuditEvent.objects.filter(round=spring, action="data_erased").exists()
    assert AuditEvent.objects.filter(company=company, action="retention_set").exists()
    # Not yet due, still open, another company's: untouched.
    for kept in (recent, elsewhere):
        assert Respondent.objects.filter(round=kept).exclude(email="").count() == 8
        assert Comment.objects.filter(respondent__round=kept).count() == 12
    assert Respondent.objects.filter(round=ongoing).count() == 1
    assert SurveyLink.objects.filter(respondent__round=ongoing).count() == 1


def test_the_scheduled_command_erases_once_a_day(acme):
    company, _ = acme
    spring = answered_round(company)
    company.retention_days = 90
    company.save()
    type(spring).objects.filter(pk=spring.pk).update(closed_at=timezone.now() - timedelta(days=91))
    out = io.StringIO()
    call_command("send_due_emails", stdout=out)
    assert "personal data of 1 rounds erased" in out.getvalue()
    assert not Respondent.objects.filter(round=spring).exclude(email="").exists()
    again = io.StringIO()
    call_command("send_due_emails", stdout=again)
    assert "daily" not in again.getvalue()
    assert DailyRun.objects.get().ran_on == timezone.localdate()


def test_an_owner_downloads_everything_as_one_zip(client, acme):
    company, owner = acme
    spring = answered_round(company)
    PlannedAction.objects.create(company=company, round=spring, title="Meet monthly")
    client.force_login(owner)
    response = client.get(reverse("workspace:data_export", kwargs={"company_id": company.pk}))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert set(archive.namelist()) == {
        "company.json",
        "members.csv",
        "invitations.csv",
        "rounds.csv",
        "people.csv",
        "published_results.json",
        "plan.json",
        "record.csv",
    }
    people = list(csv.DictReader(io.StringIO(archive.read("people.csv").decode("utf-8-sig"))))
    assert len(people) == 8 and "p.sales0@acme.test" in {p["email"] for p in people}
    assert "answered" not in people[0] and "submitted" not in archive.read("people.csv").decode()
    assert "Meet monthly" in archive.read("plan.json").decode()
    assert '"voices"' in archive.read("published_results.json").decode()
    assert "exported" in archive.read("record.csv").decode()
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"d" * 64 not in everything  # no device hash


def test_the_archive_tells_nothing_about_who_answered_an_open_round(client, acme):
    company, owner = acme
    survey_round = company.rounds.create(title="Open", anonymity_threshold=3)
    quiet, _ = make_respondent(survey_round, "sales")
    keen, _ = make_respondent(survey_round, "sales", ratings=uniform(3))
    for person, email in ((quiet, "a@acme.test"), (keen, "b@acme.test")):
        Respondent.objects.filter(pk=person.pk).update(email=email)
    client.force_login(owner)
    url = reverse("workspace:data_export", kwargs={"company_id": company.pk})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(url).streaming_content)))
    rows = archive.read("people.csv").decode("utf-8-sig").splitlines()
    assert rows[1].replace("a@acme.test", "X") == rows[2].replace("b@acme.test", "X")


def text_fields(model):
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField, models.JSONField))
    ]


def row_counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_deleting_a_company_leaves_no_row_of_it_or_its_people(client, acme):
    company, owner = acme
    # Another company, with a manager it shares with the deleted one: both stay.
    other = make_company(name="Other", slug="other", threshold=3)
    shared = make_user("shared@other.test", other)
    make_user("owner@other.test", other, role="owner")
    answered_round(other, prefix="o")
    before = row_counts()

    doomed = make_company(name="Doomed Co", slug="doomed", threshold=3)
    boss = make_user("boss@doomed.test", doomed, role="owner")
    Membership = type(shared.memberships.first())
    Membership.objects.create(user=shared, company=doomed, role="manager")
    spring = answered_round(doomed, prefix="doomed")
    ongoing = doomed.rounds.create(title="Doomed open", anonymity_threshold=3)
    make_respondent(ongoing, "sales", email="late@doomed.test")
    SharedLink.objects.create(round=ongoing, department="sales", role="staff")
    action = PlannedAction.objects.create(company=doomed, round=spring, title="Doomed plan")
    ActionOwner.objects.create(
        action=action, department="sales", user=boss, email="boss@doomed.test"
    )
    ActionProgress.objects.create(action=action, text="Doomed progress", author=boss)
    WorkshopAgreement.objects.create(round=spring, statement=3, text="Doomed agreement")
    RoundHead.objects.create(round=spring, department="sales", user=boss)
    CompanyDomain.objects.create(company=doomed, domain="doomed.test")
    invitation = CompanyInvitation(company=doomed, email="new@doomed.test", invited_by=boss)
    invitation.issue_token()
    invitation.save()
    app = SocialApp.objects.create(
        provider="openid_connect", provider_id="company-doomed", name="Doomed SSO", secret="s3cret"
    )
    CompanySSO.objects.create(company=doomed, app=app)
    client.force_login(boss)

    confirm = client.get(reverse("workspace:company_delete", kwargs={"company_id": doomed.pk}))
    assert "2 rounds" in confirm.text and "9 people invited" in confirm.text
    assert "1 account that belongs to no other company" in confirm.text
    url = reverse("workspace:company_delete", kwargs={"company_id": doomed.pk})
    assert client.post(url, {"name": "Doomed"}).status_code == 200  # the name, exactly
    assert client.post(url, {"name": "doomed co"}).status_code == 302
    undo = reverse("workspace:company_delete_undo", kwargs={"company_id": doomed.pk})
    assert client.post(undo).status_code == 302
    doomed.refresh_from_db()
    assert doomed.deletion_requested_at is None
    client.post(url, {"name": "Doomed Co"})
    doomed.refresh_from_db()
    asked = doomed.deletion_requested_at
    assert {"deletion_asked", "deletion_undone"} <= set(
        doomed.audit_events.values_list("action", flat=True)
    )
    assert run_daily(now=asked + timedelta(days=13)).companies == 0  # in the grace period
    assert run_daily(now=asked + timedelta(days=15)).companies == 1

    after = row_counts()
    assert after.pop("survey.DailyRun") == 1
    before.pop("survey.DailyRun")
    # The deleted owner's session is ended; the test client's own was made after `before`.
    assert after.pop("sessions.Session") == before.pop("sessions.Session")
    assert after == before, {k: (before[k], after[k]) for k in after if after[k] != before[k]}
    for model in apps.get_models():
        for field in text_fields(model):
            for needle in ("doomed", "Doomed"):
                hits = model.objects.filter(**{f"{field}__icontains": needle})
                assert not hits.exists(), (model._meta.label, field)
    assert get_user_model().objects.filter(pk=shared.pk).exists()
    assert not get_user_model().objects.filter(pk=boss.pk).exists()
    assert PublishedResult.objects.count() == 1  # the other company's


def mail_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_a_person_learns_what_is_held_about_their_address_by_email_only(
    client, acme, django_capture_on_commit_callbacks
):
    company, _ = acme
    spring = answered_round(company)
    ongoing = company.rounds.create(title="Summer", anonymity_threshold=3)
    person, _ = make_respondent(ongoing, "sales")
    person.email = "p.sales0@acme.test"
    person.save()
    url = reverse("data_request")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "P.Sales0@acme.test"})
        unknown = client.post(url, {"email": "nobody@acme.test"})
    assert known.status_code == unknown.status_code == 200
    assert normalised(known.content) == normalised(unknown.content)
    assert b"Acme" not in known.content and b"Spring" not in known.content
    (report,) = mail_to("p.sales0@acme.test")
    assert "Acme, Spring" in report.body and "Acme, Summer" in report.body
    assert "Your answers are counted in its published results." in report.body
    assert "The round is still open: nothing is published yet." in report.body
    assert "2" not in report.subject
    for rating in ("rating",):
        assert rating not in report.body.lower()
    (nothing,) = mail_to("nobody@acme.test")
    assert "We hold no survey invitation for this address" in nothing.body
    assert spring.pk  # (the answers themselves are never in it: the report has no figures)


def test_the_data_request_is_rate_limited(client, db, django_capture_on_commit_callbacks):
    url = reverse("data_request")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            assert client.post(url, {"email": "same@acme.test"}).status_code == 200
    assert len(mail_to("same@acme.test")) == 3  # beyond: silently none
    for n in range(6):
        client.post(url, {"email": f"other{n}@acme.test"})
    assert client.post(url, {"email": "last@acme.test"}).status_code == 429


def test_the_data_request_in_vietnamese(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("data_request"), {"email": "lan@acme.test"}, HTTP_ACCEPT_LANGUAGE="vi"
        )
    assert "Hãy kiểm tra email" in response.text
    assert "Xin chào" in mail_to("lan@acme.test")[0].body
