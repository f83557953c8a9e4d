"""The worker outlives PostgreSQL restarts: a cluster of the test's own (initdb on a free
port of 127.0.0.1, as bench/production.sh does), restarted and stopped for a while under a
running `manage.py db_worker`, which reconnects and carries on with the tasks queued."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.ops.conftest import free_port, need

ROOT = Path(__file__).resolve().parents[2]

ENQUEUE = """
import django, sys
django.setup()
from tests.ops.tasks_for_tests import note
print(note.enqueue(sys.argv[1]).id)
"""
NAP = """
import django, sys
django.setup()
from tests.ops.tasks_for_tests import nap
print(nap.enqueue(float(sys.argv[1])).id)
"""
STATUS = """
import django, sys
django.setup()
from django_tasks_db.models import DBTaskResult
print(DBTaskResult.objects.get(pk=sys.argv[1]).status)
"""


def postgres_tool(name: str) -> str:
    """Debian keeps PostgreSQL's server tools out of PATH, in /usr/lib/postgresql/<v>/bin."""
    found = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    if found and shutil.which(name) is None:
        return str(found[-1])
    return need(name)


class Cluster:
    """A PostgreSQL cluster in a temporary directory (as the postgres user when run as root,
    since initdb refuses root)."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = postgres_tool("initdb"), postgres_tool("pg_ctl")
        self.port = free_port()
        self.work = tempfile.mkdtemp(prefix="sm-worker-pg-")
        os.chmod(self.work, 0o755)
        self.data = os.path.join(self.work, "pg")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/worker"

    def as_postgres(self, *command: str) -> None:
        if os.geteuid() == 0:
            command = ("runuser", "-u", "postgres", "--", *command)
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        if os.geteuid() == 0:
            subprocess.run(["install", "-d", "-o", "postgres", "-m", "700", self.data], check=True)
        else:
            os.mkdir(self.data, 0o700)
        self.as_postgres(
            self.initdb, "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8"
        )
        with open(os.path.join(self.data, "postgresql.conf"), "a") as conf:
            conf.write(
                f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.data}'\nfsync = off\n"
            )
        self.ctl("start")

    def ctl(self, action: str, *args: str) -> None:
        log = os.path.join(self.data, "server.log")
        self.as_postgres(self.pg_ctl, "-D", self.data, "-l", log, "-w", *args, action)

    def remove(self) -> None:
        try:
            self.ctl("stop", "-m", "immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.work, ignore_errors=True)


@pytest.fixture
def cluster():
    cluster = Cluster()
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.remove()


def environment(url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "TASKS_BACKEND"}
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "survey.settings",
        "DATABASE_URL": url,
        "TASKS_BACKEND": "database",
        "LOG_LEVEL": "WARNING",
    }


def python(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def wait_done(env: dict[str, str], task_id: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    status = ""
    while time.monotonic() < deadline:
        status = python(env, "-c", STATUS, task_id)
        if status not in {"READY", "RUNNING"}:
            return status
        time.sleep(0.5)
    return status


def test_the_worker_reconnects_after_postgresql_restarts_and_outages(cluster):
    admin = cluster.url.rsplit("/", 1)[0] + "/postgres"
    python(
        environment(admin), "-c",
        "import psycopg, sys; c = psycopg.connect(sys.argv[1], autocommit=True); "
        "c.execute('CREATE DATABASE worker')",
        admin,
    )  # fmt: skip
    env = environment(cluster.url)
    python(env, "manage.py", "migrate", "--no-input", "-v", "0")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_done(env, python(env, "-c", ENQUEUE, "before")) == "SUCCESSFUL"

        cluster.ctl("restart", "-m", "immediate")  # as a crash: every connection cut
        time.sleep(2)
        assert worker.poll() is None, worker.stderr.read()
        assert wait_done(env, python(env, "-c", ENQUEUE, "after a crash")) == "SUCCESSFUL"

        # The database goes away under a running task: once it is back the task says so
        # (failed) instead of "running" forever, and the worker carries on.
        napping = python(env, "-c", NAP, "4")
        deadline = time.monotonic() + 30
        while python(env, "-c", STATUS, napping) == "READY" and time.monotonic() < deadline:
            time.sleep(0.2)
        cluster.ctl("restart", "-m", "immediate")
        assert wait_done(env, napping) == "FAILED"
        assert worker.poll() is None, worker.stderr.read()

        cluster.ctl("stop", "-m", "fast")  # down for a while: refused connections
        time.sleep(4)
        assert worker.poll() is None, worker.stderr.read()
        cluster.ctl("start")
        assert wait_done(env, python(env, "-c", ENQUEUE, "after an outage")) == "SUCCESSFUL"
        assert worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert "the database went away" in worker.stderr.read()


def test_the_looping_scheduler_outlives_a_database_that_is_not_there_yet(tmp_path):
    """`send_due_emails --every` (the compose scheduler) logs a failed run and tries again:
    here the database has no tables until `migrate` runs, midway."""
    env = environment(f"sqlite:///{tmp_path / 'db.sqlite3'}") | {"LOG_LEVEL": "ERROR"}
    scheduler = subprocess.Popen(
        [sys.executable, "manage.py", "send_due_emails", "--every", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(4)
        assert scheduler.poll() is None, scheduler.stderr.read()
        python(env, "manage.py", "migrate", "--no-input", "-v", "0")
        time.sleep(3)
        assert scheduler.poll() is None
    finally:
        scheduler.terminate()
        out, err = scheduler.communicate(timeout=30)
    assert "send_due_emails failed; trying again in 1 s" in err
    assert "closed 0 rounds past their close date" in out
