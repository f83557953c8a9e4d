"""E-mails through the background worker: the page queues, the worker sends and records
honestly what happened, failures are retried, reminders come by themselves."""

import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import F
from django.template.defaultfilters import date
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from survey.models import Respondent, Round
from tests.factories import make_company, make_respondent, uniform

LINK = re.compile(r"http://testserver/s/([\w-]{32})/")


@pytest.fixture
def database_tasks(settings, transactional_db):
    """Tasks wait in the database for the worker, as in production (whose db_worker closes
    the database connection between tasks: these tests commit)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def leader(client, manager):
    client.force_login(manager)
    return manager


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())


def due_emails(**kwargs) -> str:
    out = StringIO()
    call_command("send_due_emails", base_url="http://testserver", stdout=out, **kwargs)
    return out.getvalue()


def add_people(client, round_, count: int, capture) -> None:
    lines = "\n".join(
        f"p{i}@acme.test, P{i}, {('sales', 'marketing')[i % 2]}" for i in range(count)
    )
    with capture(execute=True):
        response = client.post(
            f"/rounds/{round_.pk}/people/", {"lines": lines, "send_emails": "on"}
        )
    assert response.status_code in (200, 302)


def refuse_smtp(monkeypatch) -> None:
    def refuse(self, messages):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)


def statuses(round_) -> list[str]:
    return sorted(set(round_.respondents.values_list("invitation_status", flat=True)))


def test_adding_people_answers_before_any_email_and_the_worker_sends_them(
    client, round_, leader, database_tasks, django_capture_on_commit_callbacks
):
    add_people(client, round_, 150, django_capture_on_commit_callbacks)
    assert mail.outbox == []  # the page answered before a single e-mail went out
    assert statuses(round_) == ["queued"]
    assert DBTaskResult.objects.count() == 2  # batches of at most 100

    run_worker()
    assert len(mail.outbox) == 150
    assert statuses(round_) == ["sent"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    # Each e-mail carries a working link of its own ...
    token = LINK.search(mail.outbox[0].body).group(1)
    assert client.get(f"/s/{token}/").status_code == 302
    # ... and no token, link or body ever sat in the queue's table.
    stored = json.dumps(list(DBTaskResult.objects.values("args_kwargs", "return_value")))
    tokens = {LINK.search(m.body).group(1) for m in mail.outbox}
    assert len(tokens) == 150
    assert not any(t in stored for t in tokens)
    assert "/s/" not in stored and "Hello" not in stored


def test_a_failed_invitation_is_marked_failed_and_the_retry_command_sends_it_later(
    client, round_, leader, database_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    add_people(client, round_, 3, django_capture_on_commit_callbacks)
    with monkeypatch.context() as patch:
        refuse_smtp(patch)
        run_worker()
    assert mail.outbox == []
    assert statuses(round_) == ["failed"]  # never recorded as sent

    assert "0 invitations to retry" in due_emails()  # not at once: after a pause
    round_.respondents.update(invitation_status_at=timezone.now() - timedelta(minutes=6))
    assert "3 invitations to retry" in due_emails()
    assert statuses(round_) == ["queued"]
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@acme.test", "p1@acme.test", "p2@acme.test"]
    assert statuses(round_) == ["sent"]
    assert "0 invitations to retry" in due_emails()


def test_the_worker_gives_up_after_five_failures_in_a_row(
    client, round_, leader, database_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    add_people(client, round_, 1, django_capture_on_commit_callbacks)
    refuse_smtp(monkeypatch)
    tries = 1
    run_worker()
    for _ in range(10):
        round_.respondents.update(invitation_status_at=timezone.now() - timedelta(days=1))
        if "1 invitations to retry" not in due_emails():
            break
        run_worker()
        tries += 1
    assert tries == 5
    assert round_.respondents.get().invitation_status == "failed"  # leaders see it


def test_an_invitation_queued_and_lost_is_queued_again_and_sent_once(
    client, round_, leader, database_tasks, django_capture_on_commit_callbacks
):
    add_people(client, round_, 2, django_capture_on_commit_callbacks)
    round_.respondents.update(invitation_status_at=timezone.now() - timedelta(hours=1))
    assert "2 invitations to retry" in due_emails()
    run_worker()  # the first task finds its invitations taken over: only the second sends
    assert len(mail.outbox) == 2
    assert statuses(round_) == ["sent"]


def invited(round_, email, days_ago, answered=False, reminded_days_ago=None):
    respondent, _ = make_respondent(round_, ratings=uniform(3) if answered else None)
    now = timezone.now()
    Respondent.objects.filter(pk=respondent.pk).update(
        email=email,
        invitation_status="sent",
        invitation_status_at=now - timedelta(days=days_ago),
        last_reminded_at=now - timedelta(days=reminded_days_ago) if reminded_days_ago else None,
    )
    return respondent


def reminded() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Reminder:"))


def test_a_failed_reminder_does_not_count_as_given_and_is_tried_again(
    client, round_, leader, django_capture_on_commit_callbacks, monkeypatch
):
    waiting = invited(round_, "wait@acme.test", days_ago=1)
    with monkeypatch.context() as patch:
        refuse_smtp(patch)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/rounds/{round_.pk}/remind/")
    waiting.refresh_from_db()
    assert waiting.last_reminded_at is None  # it was not sent, so it does not block the next
    assert reminded() == []

    Respondent.objects.filter(pk=waiting.pk).update(
        reminder_queued_at=timezone.now() - timedelta(minutes=31)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert "1 reminders" in due_emails()
    assert reminded() == ["wait@acme.test"]
    waiting.refresh_from_db()
    assert waiting.last_reminded_at is not None and waiting.reminder_failures == 0


def test_automatic_reminders_three_days_after_the_invitation_and_two_before_the_close(
    company, django_capture_on_commit_callbacks
):
    now = timezone.now()
    later = company.rounds.create(title="Long", closes_at=now + timedelta(days=20))
    invited(later, "two-days@acme.test", days_ago=2)
    invited(later, "three-days@acme.test", days_ago=3.1)
    invited(later, "answered@acme.test", days_ago=4, answered=True)
    invited(later, "already@acme.test", days_ago=5, reminded_days_ago=1.5)
    # One open round per company: the other rounds are other companies'.
    soon = make_company(slug="soon").rounds.create(title="Soon", closes_at=now + timedelta(days=1))
    invited(soon, "before-close@acme.test", days_ago=1.5)
    invited(soon, "just-invited@acme.test", days_ago=0.5)
    invited(soon, "reminded-today@acme.test", days_ago=4, reminded_days_ago=0.5)
    invited(soon, "reminded-before@acme.test", days_ago=6, reminded_days_ago=2.5)
    closed = company.rounds.create(title="Closed", closed_at=now)
    invited(closed, "closed@acme.test", days_ago=4)
    past = make_company(slug="past").rounds.create(title="Past", closes_at=now - timedelta(hours=1))
    invited(past, "past@acme.test", days_ago=4)

    with django_capture_on_commit_callbacks(execute=True):
        due_emails()
    assert reminded() == [
        "before-close@acme.test",
        "reminded-before@acme.test",  # its 3-day reminder came before the 2-day mark
        "three-days@acme.test",
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        due_emails()
    assert reminded() == []  # once each

    # A day and a half later: the 3-day reminder is due for "two-days" only; the round
    # closing "soon" has closed.
    a_while = timedelta(days=1, hours=12)
    Respondent.objects.update(
        invitation_status_at=F("invitation_status_at") - a_while,
        last_reminded_at=F("last_reminded_at") - a_while,
        reminder_queued_at=F("reminder_queued_at") - a_while,
    )
    Round.objects.exclude(closes_at=None).update(closes_at=F("closes_at") - a_while)
    with django_capture_on_commit_callbacks(execute=True):
        due_emails()
    assert reminded() == ["two-days@acme.test"]


def test_automatic_reminders_can_be_off_for_the_site(
    company, settings, django_capture_on_commit_callbacks
):
    settings.AUTO_REMINDERS = False
    round_ = company.rounds.create(title="Long")
    invited(round_, "three-days@acme.test", days_ago=3.1)
    with django_capture_on_commit_callbacks(execute=True):
        due_emails()
    assert reminded() == []


def test_a_leader_turns_a_rounds_automatic_reminders_off_and_that_is_on_the_record(
    client, company, leader, django_capture_on_commit_callbacks
):
    round_ = company.rounds.create(title="Long")
    invited(round_, "three-days@acme.test", days_ago=3.1)
    page = client.post(f"/rounds/{round_.pk}/auto-reminders/", {"on": "0"}, follow=True)
    html = re.sub(r"\s+", " ", page.content.decode())
    assert "Automatic reminders are off for this round." in html
    assert "turned automatic reminders off" in html  # the record every leader sees
    event = round_.audit_events.get(action="auto_reminders_off")
    assert event.actor == leader
    with django_capture_on_commit_callbacks(execute=True):
        due_emails()
    assert reminded() == []

    client.post(f"/rounds/{round_.pk}/auto-reminders/", {"on": "1"})
    assert round_.audit_events.filter(action="auto_reminders_on").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        due_emails()
    assert reminded() == ["three-days@acme.test"]


def test_the_round_page_says_reminders_are_automatic_and_when_the_next_go(client, company, leader):
    now = timezone.now()
    round_ = company.rounds.create(title="Long", closes_at=now + timedelta(days=10))
    invited(round_, "a@acme.test", days_ago=1)
    invited(round_, "b@acme.test", days_ago=2, answered=True)
    page = re.sub(r"\s+", " ", client.get(f"/rounds/{round_.pk}/manage/").content.decode())
    assert "Automatic reminders are on." in page
    assert "3 days after their invitation, and another 2 days before the close date" in page
    # The next date comes from every invitation, answered or not: here b's, who answered.
    first = timezone.localtime(now - timedelta(days=2) + timedelta(days=3))
    assert f"{date(first, 'DATETIME_FORMAT')} (3 days after an invitation)" in page
    assert "(2 days before the close)" in page


def test_no_working_link_ever_waits_in_the_queue(
    client, company, round_, owner, database_tasks, django_capture_on_commit_callbacks
):
    """Fresh links, manager invitations, password resets and sign-ups too: the worker makes
    the link; the queue's table holds ids, addresses and languages only."""
    respondent, _ = make_respondent(round_)
    Respondent.objects.filter(pk=respondent.pk).update(email="an@acme.test")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/rounds/{round_.pk}/fresh-link/", {"email": "an@acme.test"})
        client.post(f"/companies/{company.pk}/members/", {"email": "minh@acme.test"})
    client.logout()
    client.post("/password-reset/", {"email": "owner@acme.test"})
    client.post("/signup/", {"email": "new@acme.test"})
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 4

    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "an@acme.test",
        "minh@acme.test",
        "new@acme.test",
        "owner@acme.test",
    ]
    links = [re.search(r"http://testserver(/\S+/)", m.body).group(1) for m in mail.outbox]
    stored = json.dumps(list(DBTaskResult.objects.values("args_kwargs", "return_value")))
    for link in links:
        assert link not in stored
        assert max(link.strip("/").split("/"), key=len) not in stored
    assert client.get(links[0]).status_code in (200, 302)


def test_one_refused_address_fails_alone_in_its_batch(
    client, round_, leader, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.mail.backends.locmem import EmailBackend

    deliver = EmailBackend.send_messages

    def refuse_one(self, messages):
        if messages[0].to == ["p1@acme.test"]:
            raise ConnectionRefusedError("550 no such mailbox")
        return deliver(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_one)
    add_people(client, round_, 3, django_capture_on_commit_callbacks)
    by_address = dict(round_.respondents.values_list("email", "invitation_status"))
    assert by_address == {"p0@acme.test": "sent", "p1@acme.test": "failed", "p2@acme.test": "sent"}
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@acme.test", "p2@acme.test"]
