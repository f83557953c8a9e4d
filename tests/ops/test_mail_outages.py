"""E-mail through real SMTP (an aiosmtpd sink of the test's own) when the mail server is
down at the worst moment: each message is recorded as it is sent, a failed one is tried
again, and a worker killed mid-batch leaves nothing sent twice."""

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from survey.models import Respondent
from tests.factories import make_respondent, make_user, uniform

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"/s/([\w-]{32})/")


@pytest.fixture
def database_tasks(settings, transactional_db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SITE_URL = "http://testserver"


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0, stdout=StringIO())


def scheduler() -> str:
    out = StringIO()
    call_command("send_due_emails", base_url="http://testserver", stdout=out)
    return out.getvalue()


def later(minutes: int, **rows) -> None:
    """As if `minutes` had passed for the e-mails in `rows`' state."""
    Respondent.objects.filter(**rows).update(
        results_status_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_the_results_email_is_sent_once_the_mail_server_is_back(
    company, manager, database_tasks, smtp_sink
):
    survey_round = company.rounds.create(title="Spring", anonymity_threshold=3)
    for department in ("sales", "marketing"):
        for _ in range(3):
            make_respondent(survey_round, department, ratings=uniform(3))
    for index in range(50):
        Respondent.objects.create(
            round=survey_round, department="sales", email=f"p{index}@acme.test"
        )
    leader = Client()
    leader.force_login(manager)
    assert leader.post(f"/rounds/{survey_round.pk}/close/", {"message": ""}).status_code == 302

    run_worker()  # the mail server is down at the close: nothing sent, nothing lost
    people = Respondent.objects.exclude(email="")
    assert smtp_sink.messages == []
    assert set(people.values_list("results_status", flat=True)) == {"failed"}

    smtp_sink.start()
    assert "0 results e-mails to retry" in scheduler()  # not at once: after a pause
    later(6, results_status="failed")
    assert "50 results e-mails to retry" in scheduler()
    run_worker()
    assert sorted(smtp_sink.told()) == sorted(f"p{i}@acme.test" for i in range(50))
    assert set(people.values_list("results_status", flat=True)) == {"sent"}
    later(60)
    assert "0 results e-mails to retry" in scheduler()
    assert len(smtp_sink.messages) == 50
    # Each e-mail's link opens the published results; none sits in the task table.
    stored = json.dumps(list(DBTaskResult.objects.values("args_kwargs", "return_value")))
    for _, content in smtp_sink.messages:
        token = LINK.search(content.replace("=\n", "")).group(1)
        assert token not in stored
    page = Client().get(f"/s/{token}/", follow=True)
    assert page.status_code == 200 and "combined-level" in page.content.decode()


def test_assignment_and_password_reset_emails_are_tried_again_after_a_pause(
    company, database_tasks, smtp_sink
):
    from scoring.models import ActionOwner, PlannedAction
    from scoring.results.action_emails import email_owners
    from survey.writes.tasks import send_password_reset

    action = PlannedAction.objects.create(
        company=company, round=company.rounds.create(title="Spring"), title="Meet monthly"
    )
    owner = ActionOwner.objects.create(
        action=action, department="marketing", name="Quynh", email="quynh@acme.test"
    )
    user = make_user("lan@acme.test", company)
    email_owners(owners=[owner], base_url="http://testserver")
    send_password_reset.enqueue(
        user_id=user.pk, domain="testserver", protocol="https", language="en"
    )
    run_worker()  # the mail server is down
    assert smtp_sink.messages == []
    retries = DBTaskResult.objects.filter(status="READY")
    assert retries.count() == 2
    assert all(r.run_after > timezone.now() + timedelta(minutes=4) for r in retries)

    smtp_sink.start()
    retries.update(run_after=timezone.now())  # the five minutes have passed
    run_worker()
    assert sorted(smtp_sink.told()) == ["lan@acme.test", "quynh@acme.test"]
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_sign_up_email_is_tried_again_once_the_mail_server_is_back(database_tasks, smtp_sink):
    visitor = Client()
    asked = visitor.post("/signup/", {"email": "lan@acme.test"})
    assert asked["Location"] == "/signup/sent/"
    run_worker()  # the mail server is down: nothing sent, the task queued again for later
    assert smtp_sink.messages == []
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now() + timedelta(minutes=4)
    assert "/signup/finish/" not in json.dumps(retry.args_kwargs)  # the link is made on sending

    smtp_sink.start()
    run_worker()  # too early: the pause has not passed
    assert smtp_sink.messages == []
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    assert smtp_sink.told() == ["lan@acme.test"]
    assert not DBTaskResult.objects.filter(status="READY").exists()
    link = re.search(r"http://testserver(/signup/finish/\S+/)", smtp_sink.messages[0][1])
    finish = visitor.post(
        link.group(1),
        {
            "name": "Lan Nguyen",
            "password1": "correct-horse-battery-9",
            "password2": "correct-horse-battery-9",
        },
    )
    assert finish.status_code == 302 and finish["Location"] == "/"
    assert visitor.get("/").wsgi_request.user.get_username() == "lan@acme.test"


def database_url() -> str:
    """The test database, for a worker process of its own."""
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def worker_process(sink_port: int, *args: str) -> subprocess.Popen:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "TASKS_BACKEND"}
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "survey.settings",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink_port),
        "EMAIL_TIMEOUT": "10",
        "SITE_URL": "http://testserver",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"]
        + list(args),
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_worker_killed_mid_batch_then_run_again_sends_each_invitation_once(
    round_, manager, database_tasks, smtp_sink
):
    leader = Client()
    leader.force_login(manager)
    people = [f"p{i}@acme.test" for i in range(150)]
    lines = "\n".join(
        f"{email}, P, {('sales', 'marketing')[i % 2]}" for i, email in enumerate(people)
    )
    added = leader.post(f"/rounds/{round_.pk}/people/", {"lines": lines, "send_emails": "on"})
    assert added.status_code in (200, 302)
    assert DBTaskResult.objects.count() == 2  # batches of 100 and 50

    # A slow mail server; the worker is killed (SIGKILL) while it waits on the 41st.
    smtp_sink.delay = 0.05
    fortieth = threading.Event()
    smtp_sink.on_recipient = lambda n: n == 41 and fortieth.set()
    smtp_sink.start()
    worker = worker_process(smtp_sink.port)
    try:
        assert fortieth.wait(timeout=120), "the worker sent fewer than 41"
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    told = Counter(smtp_sink.told())
    assert len(told) == 40 and set(told.values()) == {1}
    # What it sent is recorded as sent; the rest still waits; its task says "running".
    assert round_.respondents.filter(invitation_status="sent").count() == 40
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 1

    # Half an hour later the scheduler reclaims the dead task and queues the rest again.
    half_hour = timezone.now() - timedelta(minutes=31)
    round_.respondents.filter(invitation_status="queued").update(invitation_status_at=half_hour)
    DBTaskResult.objects.filter(status="RUNNING").update(started_at=half_hour)
    out = scheduler()
    assert "1 tasks of stopped workers marked failed" in out
    assert "110 invitations to retry" in out

    smtp_sink.delay = 0
    again = worker_process(smtp_sink.port, "--batch")
    assert again.wait(timeout=300) == 0, again.stderr.read()
    told = Counter(smtp_sink.told())
    assert sorted(told) == sorted(people) and set(told.values()) == {1}  # once each
    assert set(round_.respondents.values_list("invitation_status", flat=True)) == {"sent"}
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
    stored = json.dumps(list(DBTaskResult.objects.values("args_kwargs", "return_value")))
    tokens = {LINK.search(content.replace("=\n", "")).group(1) for _, content in smtp_sink.messages}
    assert len(tokens) == 150 and not any(token in stored for token in tokens)
