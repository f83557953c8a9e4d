"""2,000 people pasted at once: how fast the page answers, and how soon their invitations
reach a mail server.

Runs the app in this process (the real add-people view, through Django's full middleware
stack, DEBUG off) with TASKS_BACKEND=database, starts `manage.py db_worker` as a separate
process, and an aiosmtpd SMTP sink on 127.0.0.1 that counts what arrives. Prints the
page's response time, the time until every invitation reached the sink, and what the
database says was sent. On SQLite (a fresh file in a temp dir) by default, or PostgreSQL:

    .venv/bin/python bench/email_rehearsal.py
    .venv/bin/python bench/email_rehearsal.py --postgres postgresql://postgres@127.0.0.1:5432

(the PostgreSQL database, emails_bench_db, is created and dropped). See README.md.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_DATABASE = "emails_bench_db"
TOKEN = re.compile(r"/s/([\w-]{32})/")


class Sink:
    """Counts the messages the SMTP server accepts, and keeps their links' tokens."""

    def __init__(self) -> None:
        self.count = 0
        self.tokens: set[str] = set()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        text = envelope.content.decode("utf-8", "replace")
        with self.lock:
            self.count += 1
            self.tokens.update(TOKEN.findall(text))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(database_url: str, smtp_port: int, static_root: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.survey_page_settings",
        "BENCH_STATIC_ROOT": str(static_root),
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "database",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "DEFAULT_FROM_EMAIL": "Alignment Survey <survey@example.com>",
        "LOG_LEVEL": "WARNING",
    }


def pasted(people: int) -> str:
    return "\n".join(
        f"p{i}@example.com, Person {i}, {('sales', 'marketing')[i % 2]}, staff, "
        f"{('en', 'vi')[i % 3 == 0]}"
        for i in range(people)
    )


def rehearse(people: int, database_url: str, label: str) -> dict[str, float]:
    from aiosmtpd.controller import Controller

    sink = Sink()
    smtp_port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    os.environ.update(environment(database_url, smtp_port, static_root))
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from survey.models import Respondent
    from tests.factories import make_company, make_user

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    company = make_company()
    leader = make_user("leader@example.com", company, role="owner")
    survey_round = company.rounds.create(title="Rehearsal")
    client = Client()
    client.force_login(leader)
    client.get(f"/rounds/{survey_round.pk}/people/")  # warm up: templates, translations

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        started, cpu = time.perf_counter(), time.process_time()
        response = client.post(
            f"/rounds/{survey_round.pk}/people/",
            {"lines": pasted(people), "send_emails": "on"},
        )
        answered, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert response.status_code == 200, response.status_code
        assert f"{people} people added" in response.content.decode()
        deadline = started + 120
        while sink.count < people and time.perf_counter() < deadline:
            time.sleep(0.05)
        delivered = time.perf_counter() - started
        time.sleep(1)  # the worker records "sent" once the server took each message
        sent = Respondent.objects.filter(invitation_status="sent").count()
        from django_tasks_db.models import DBTaskResult

        stored = " ".join(str(a) for a in DBTaskResult.objects.values_list("args_kwargs"))
        tokens_in_queue = sum(token in stored for token in sink.tokens)
        tasks = DBTaskResult.objects.count()
    finally:
        worker.terminate()
        worker.wait(10)
        controller.stop()
        shutil.rmtree(static_root, ignore_errors=True)
    figures = {
        "load_avg_1m": os.getloadavg()[0],
        "people": people,
        "response_s": answered,
        "response_cpu_s": cpu,  # this process's CPU: what the page costs on an idle machine
        "all_delivered_s": delivered,
        "received": sink.count,
        "distinct_links": len(sink.tokens),
        "marked_sent": sent,
        "tasks": tasks,
        "tokens_in_queue": tokens_in_queue,
    }
    print(
        f"{label}: "
        + ", ".join(
            f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()
        )
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument(
        "--postgres", metavar="URL", help="a PostgreSQL server (without database name)"
    )
    args = parser.parse_args()
    if args.postgres:
        import psycopg

        server = args.postgres.rstrip("/")
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
        try:
            figures = rehearse(args.people, f"{server}/{PG_DATABASE}", "PostgreSQL")
        finally:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    else:
        workdir = Path(tempfile.mkdtemp(prefix="bench-emails-"))
        try:
            figures = rehearse(args.people, f"sqlite:///{workdir / 'db.sqlite3'}", "SQLite")
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    ok = (
        figures["response_s"] < 2
        and figures["all_delivered_s"] < 60
        and figures["received"]
        == figures["distinct_links"]
        == figures["marked_sent"]
        == args.people
        and figures["tokens_in_queue"] == 0
    )
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
