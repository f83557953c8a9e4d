"""A round past its close date is closed, published and announced by the scheduler
(`manage.py send_due_emails`), whether or not anyone visits one of its pages."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from scoring.models import PublishedResult
from survey.models import AuditEvent, Respondent
from tests.factories import make_company, make_respondent, uniform


def scheduler() -> str:
    out = StringIO()
    call_command("send_due_emails", base_url="http://testserver", stdout=out)
    return out.getvalue()


def test_the_scheduler_closes_a_due_round_publishes_it_and_announces_it_once(
    company, mailoutbox, django_capture_on_commit_callbacks
):
    due = company.rounds.create(title="Spring", anonymity_threshold=3)
    for department in ("sales", "marketing"):
        for _ in range(3):
            make_respondent(due, department, ratings=uniform(4))
    Respondent.objects.create(round=due, department="sales", email="ana@acme.test")
    closes_at = timezone.now() - timedelta(minutes=7)
    due.closes_at = closes_at
    due.save()
    # Another company's round, not yet due (a company has one open round at a time).
    other = make_company(name="Other", slug="other")
    later = other.rounds.create(title="Autumn", closes_at=timezone.now() + timedelta(days=3))
    Respondent.objects.create(round=later, department="sales", email="binh@acme.test")

    with django_capture_on_commit_callbacks(execute=True):
        out = scheduler()

    assert "closed 1 rounds past their close date" in out
    due.refresh_from_db()
    assert due.closed_at == closes_at  # closed at its date, not when the scheduler came by
    assert PublishedResult.objects.filter(round=due).exists()
    assert AuditEvent.objects.filter(
        round=due, action=AuditEvent.Action.CLOSED, actor=None, detail="at the close date"
    ).exists()
    assert [m.to for m in mailoutbox] == [["ana@acme.test"]]
    later.refresh_from_db()
    assert later.closed_at is None and not PublishedResult.objects.filter(round=later).exists()

    with django_capture_on_commit_callbacks(execute=True):
        again = scheduler()
    assert "closed 0 rounds" in again
    assert len(mailoutbox) == 1  # announced once
    assert AuditEvent.objects.filter(round=due, action=AuditEvent.Action.CLOSED).count() == 1
