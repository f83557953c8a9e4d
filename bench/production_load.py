"""The load phases of bench/production.sh: people answering through nginx, and wrk.

seed     one open round of --people respondents, each with a personal link (tokens to a file).
submits  --prepared people open their link and start the survey (for wrk, later); then
         people are due at --rate a second for --seconds, each going through the real flow
         as a browser does (cookies, CSRF): open the personal link, the start page, start,
         the survey page, submit 20 ratings; refused, the same step again 2 s later (the
         page keeps the draft). A gunicorn worker is killed (kill -9) at a third of the
         window and PostgreSQL restarted at two thirds. Then the database must hold every
         acknowledged submission (a redirect to the thanks page) exactly once, 20 answers
         with the ratings sent, and no partial or doubled answer set.
pages    wrk GETs the prepared people's survey pages through nginx, then POSTs them.
faults   one window of people per --fault (a shell command injecting it at a third of the
         window, another bringing the service back --hold seconds later), each checked as
         above for its own people; then the task worker killed mid-batch of invitations to
         a slow SMTP sink of its own, the scheduler and a fresh worker: nobody's invitation
         lost or sent twice. Prints the fault table of bench/README.md.

Bounded: fixed counts, 10 s request timeouts, nobody starts after the window. Threads, not
processes: on 2 cores the generator must leave the CPUs to the app.
"""

import argparse
import http.client
import json
import os
import random
import re
import shlex
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPANY_SLUG = "rehearsal-load"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SURVEY_URL = re.compile(r"/s/r/([A-Za-z0-9_-]+)/$")
TIMEOUT = 10
ATTEMPTS = 5
RETRY_SECONDS = 2


def seed(people: int, tokens: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "survey.settings")
    import django

    django.setup()
    from survey.models import Company, Respondent, Round, SurveyLink, hash_token, new_token

    company = Company.objects.create(name="Rehearsal Co.", slug=COMPANY_SLUG, anonymity_threshold=5)
    survey_round = Round.objects.create(company=company, title="Rehearsal round")
    respondents = Respondent.objects.bulk_create(
        Respondent(round=survey_round, department=("sales", "marketing")[n % 2])
        for n in range(people)
    )
    secrets_ = [new_token() for _ in respondents]
    SurveyLink.objects.bulk_create(
        SurveyLink(respondent=r, token_hash=hash_token(t), kind=SurveyLink.Kind.EMAIL)
        for r, t in zip(respondents, secrets_, strict=True)
    )
    tokens.write_text("\n".join(secrets_) + "\n")


@dataclass
class Reply:
    status: int  # 0: no answer (connection refused, reset or timed out)
    location: str = ""
    body: str = ""
    retry_after: bool = False
    seconds: float = 0.0


class Browser:
    """One person's browser: the cookies it was given. Requests go over the calling
    thread's keep-alive connection to nginx, as a browser's would."""

    local = threading.local()

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    resent = Counter()  # requests sent again on a new connection, as a browser does

    def connection(self) -> http.client.HTTPConnection:
        if getattr(self.local, "conn", None) is None:
            self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            self.local.used = False
        return self.local.conn

    def drop_connection(self) -> None:
        self.local.conn.close()
        self.local.conn = None

    def send(self, method: str, path: str, form: dict[str, str] | None = None) -> Reply:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = urllib.parse.urlencode(form) if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        for _ in range(2):
            try:
                conn = self.connection()
                reused, self.local.used = self.local.used, True
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                text = response.read().decode()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server closed as the request went out (nginx
                # closes idle ones on a reload): browsers send the request again on a new
                # connection, whatever its method; so does this one, once, and counts it.
                self.drop_connection()
                if not reused:
                    return Reply(status=0, seconds=time.monotonic() - started)
                self.resent[method] += 1
            except (http.client.HTTPException, OSError):
                self.drop_connection()
                return Reply(status=0, seconds=time.monotonic() - started)
        else:
            return Reply(status=0, seconds=time.monotonic() - started)
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "max-age=0" in rest.lower():  # deleted
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if response.will_close:
            self.drop_connection()
        return Reply(
            status=response.status,
            location=response.getheader("Location", ""),
            body=text,
            retry_after=response.getheader("Retry-After") is not None,
            seconds=time.monotonic() - started,
        )


@dataclass
class Person:
    token: str
    browser: Browser
    key: str = ""
    ratings: list[int] = field(default_factory=list)


@dataclass
class Log:
    """Every reply, by phase and kind of request, with when it was sent."""

    started: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)
    replies: list[tuple[str, float, Reply]] = field(default_factory=list)

    def add(self, kind: str, reply: Reply) -> Reply:
        with self.lock:
            self.replies.append((kind, time.monotonic() - self.started, reply))
        return reply

    def statuses(self) -> str:
        counts = Counter(
            (kind, "503 page" if r.status == 503 and r.retry_after else str(r.status or "none"))
            for kind, _, r in self.replies
            if kind != "acknowledged"
        )
        return ", ".join(f"{kind} {status}: {n}" for (kind, status), n in sorted(counts.items()))


def start(person: Person, log: Log) -> bool:
    """Open the personal link, read the start page, start: the browser now owns the survey.
    A refused step is tried again 2 s later, from the link if the start page needs it."""
    for _ in range(ATTEMPTS):
        token = None
        if log.add("link", person.browser.send("GET", f"/s/{person.token}/")).status == 302:
            page = log.add("start page", person.browser.send("GET", "/s/start/"))
            token = CSRF.search(page.body) if page.status == 200 else None
        if token:
            form = {"csrfmiddlewaretoken": token.group(1)}
            reply = log.add("start", person.browser.send("POST", "/s/start/", form))
            found = SURVEY_URL.search(reply.location) if reply.status == 302 else None
            if found:
                person.key = found.group(1)
                return True
        time.sleep(RETRY_SECONDS)
    return False


def answer(person: Person, log: Log) -> bool:
    """Open the survey and submit; refused, the person tries again a moment later."""
    path = f"/s/r/{person.key}/"
    for _ in range(ATTEMPTS):
        page = log.add("page", person.browser.send("GET", path))
        token = CSRF.search(page.body) if page.status == 200 else None
        if token:
            form = {"csrfmiddlewaretoken": token.group(1)}
            form |= {f"s{n}": str(r) for n, r in enumerate(person.ratings, start=1)}
            reply = log.add("submit", person.browser.send("POST", path, form))
            if reply.status == 302 and reply.location.endswith(f"{path}thanks/"):
                return True
        time.sleep(RETRY_SECONDS)
    return False


def run_all(
    people: list[Person], work, clients: int, rate: float | None = None, seconds: float = 300
) -> tuple[int, list[float]]:
    """Run work(person) on `clients` threads; with a rate, person i is due i / rate seconds
    after the start. Nobody starts after `seconds`. Returns how many started and how late
    each one did."""
    lock, queue, late = threading.Lock(), iter(enumerate(people)), []
    began = time.monotonic()
    deadline = began + seconds

    def worker() -> None:
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            number, person = item
            due = began + number / rate if rate else began
            time.sleep(max(0.0, due - time.monotonic()))
            if time.monotonic() > deadline:
                return
            late.append(time.monotonic() - due)
            work(person)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return len(late), late


def gunicorn_workers(master: int) -> list[int]:
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            workers.append(int(stat.parent.name))
    return workers


class CpuMeter:
    """CPU seconds per part of the stack while the load runs, sampled from /proc each second
    (a process that dies loses its last second). Everything not ours is "other processes"."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.seen: dict[tuple[int, str], float] = {}
        self.used: dict[str, float] = defaultdict(float)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def ours(self) -> dict[int, str]:
        parts = {os.getpid(): "load generator"}
        for pidfile, part in [(p, "gunicorn") for p in self.work.glob("app*.pid")] + [
            (self.work / "nginx.pid", "nginx")
        ]:
            try:
                master = int(pidfile.read_text())
            except (OSError, ValueError):
                continue
            parts[master] = part
            parts |= dict.fromkeys(gunicorn_workers(master), part)
        return parts

    def part(self, pid: int, ours: dict[int, str]) -> str:
        if pid in ours:
            return ours[pid]
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            return "other processes"
        if cmdline.startswith(b"pgbouncer"):
            return "PgBouncer"
        if cmdline.startswith(b"postgres: rehearsal:") or str(self.work / "pg").encode() in cmdline:
            return "PostgreSQL"
        redis = f":{urllib.parse.urlsplit(os.environ['REDIS_URL']).port}".encode()
        if cmdline.startswith(b"redis-server") and redis in cmdline:
            return "Redis"
        return "other processes"

    def sample(self, baseline: bool) -> None:
        ours = self.ours()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, since = int(stat.parent.name), fields[19]
            cpu = (int(fields[11]) + int(fields[12])) / self.ticks
            before = self.seen.get((pid, since), None if baseline else 0.0)
            self.seen[(pid, since)] = cpu
            if before is not None:
                self.used[self.part(pid, ours)] += cpu - before

    def idle(self) -> float:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return (values[3] + values[4]) / self.ticks

    def run(self) -> None:
        self.sample(baseline=True)
        idle, began = self.idle(), time.monotonic()
        while not self.stop.wait(1):
            self.sample(baseline=False)
        self.sample(baseline=False)
        self.used["idle"] = self.idle() - idle
        self.seconds = time.monotonic() - began

    def __enter__(self) -> "CpuMeter":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def disturb(seconds: float, app1_pid: Path, restart_db: str, events: list[str]) -> None:
    """kill -9 one worker of the first instance at a third, restart PostgreSQL at two thirds."""
    began = time.monotonic()
    time.sleep(seconds / 3)
    victim = random.choice(gunicorn_workers(int(app1_pid.read_text())))
    os.kill(victim, signal.SIGKILL)
    events.append(f"kill -9 of a gunicorn worker at {time.monotonic() - began:.1f} s")
    time.sleep(max(0.0, began + 2 * seconds / 3 - time.monotonic()))
    at = time.monotonic() - began
    restart = subprocess.run(shlex.split(restart_db), capture_output=True, text=True, timeout=60)
    took = time.monotonic() - began - at
    state = "" if restart.returncode == 0 else f" FAILED: {restart.stderr.strip()[-200:]}"
    events.append(
        f"PostgreSQL restarted (-m immediate) at {at:.1f} s, back after {took:.1f} s{state}"
    )


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "-"
    cuts = statistics.quantiles(values, n=100)
    return (
        f"p50 {cuts[49] * 1000:.0f} ms, p95 {cuts[94] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms"
    )


def verify(
    acknowledged: list[Person], keys: set[str] | None = None
) -> tuple[list[str], str, dict[str, int]]:
    """Problems (an acknowledged submission missing or altered, a partial or doubled answer
    set), and a summary of what the database holds (of the respondents `keys` if given)."""
    import psycopg

    sql = """
        SELECT r.key, r.submitted_at IS NOT NULL, count(a.id), count(DISTINCT a.statement),
               array_agg(a.rating ORDER BY a.statement) FILTER (WHERE a.id IS NOT NULL)
        FROM survey_respondent r
        JOIN survey_round ro ON ro.id = r.round_id
        JOIN survey_company c ON c.id = ro.company_id
        LEFT JOIN survey_answer a ON a.respondent_id = r.id
        WHERE c.slug = %s GROUP BY r.id"""
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        rows = {key: rest for key, *rest in conn.execute(sql, [COMPANY_SLUG]).fetchall()}
    if keys is not None:
        rows = {key: rest for key, rest in rows.items() if key in keys}
    sent = {p.key: p.ratings for p in acknowledged}
    lost = [k for k, ratings in sent.items() if rows[k][0] is False or rows[k][3] != ratings]
    doubled = [k for k, (_, n, distinct, _) in rows.items() if n != distinct]
    partial = [
        k for k, (submitted, n, _, _) in rows.items() if n not in (0, 20) or submitted != (n == 20)
    ]
    unacknowledged = [k for k, (submitted, *_) in rows.items() if submitted and k not in sent]
    problems = [
        f"{len(found)} {what}"
        for found, what in [
            (lost, "acknowledged submissions missing or with other ratings"),
            (doubled, "respondents with a statement answered twice"),
            (partial, "respondents with a partial answer set"),
        ]
        if found
    ]
    stored = sum(1 for submitted, *_ in rows.values() if submitted)
    answers = sum(n for _, n, _, _ in rows.values())
    summary = (
        f"database: {stored} submitted respondents, {answers} answers "
        f"(= 20 x {answers / 20:g}); all {len(sent)} acknowledged stored once with the ratings "
        f"sent: {'no' if lost else 'yes'}; doubled: {len(doubled)}; partial: {len(partial)}; "
        f"stored but never acknowledged (the reply was lost): {len(unacknowledged)}"
    )
    counts = {
        "lost": len(lost),
        "doubled": len(doubled),
        "partial": len(partial),
        "unacknowledged": len(unacknowledged),
    }
    return problems, summary, counts


def submits(args: argparse.Namespace) -> None:
    host, port = urllib.parse.urlsplit(args.proxy).hostname, urllib.parse.urlsplit(args.proxy).port
    tokens = args.tokens.read_text().split()
    people = [Person(token=t, browser=Browser(host, port)) for t in tokens]
    for person in people:
        person.ratings = [random.randint(1, 5) for _ in range(20)]
    reserved, people = people[: args.prepared], people[args.prepared :]

    log = Log()
    run_all(reserved, lambda p: start(p, log), clients=args.clients)
    took = time.monotonic() - log.started
    opened = [p for p in reserved if p.key]
    print(
        f"prepared: {len(opened)} of {len(reserved)} people opened their link and started "
        f"(3 requests each, {args.clients} at a time) in {took:.1f} s: "
        f"{len(opened) / took:.0f} people/s; {log.statuses()}"
    )
    args.started.write_text(
        json.dumps([{"key": p.key, "cookies": p.browser.cookies} for p in opened])
    )

    log = Log()
    events: list[str] = []
    acknowledged: list[Person] = []
    acknowledged_at: list[float] = []
    disturber = threading.Thread(
        target=disturb, args=(args.seconds, args.app1_pid, args.restart_db, events), daemon=True
    )

    def work(person: Person) -> None:
        if start(person, log) and answer(person, log):
            acknowledged.append(person)
            acknowledged_at.append(time.monotonic() - log.started)

    with CpuMeter(args.work) as cpu:
        disturber.start()
        offered, late = run_all(
            people, work, clients=args.clients, rate=args.rate, seconds=args.seconds
        )
    disturber.join()
    took = max(t for _, t, _ in log.replies)
    in_window = sum(1 for t in acknowledged_at if t <= args.seconds)
    buckets = Counter(int(t // 5) for t in acknowledged_at)
    print(
        f"offered: people due at {args.rate:g}/s for {args.seconds} s, {args.clients} client "
        f"threads, each person: GET link, GET start page, POST start, GET survey page, POST 20 "
        f"ratings; refused, the same step again 2 s later, at most {ATTEMPTS} times; "
        f"{offered} people started (late by > 1 s: {sum(1 for x in late if x > 1)})"
    )
    print(
        f"acknowledged: {len(acknowledged)} of {offered} in {took:.1f} s: "
        f"{len(acknowledged) / took:.1f} submits/s ({in_window / args.seconds:.1f}/s within "
        f"the {args.seconds} s), {len(log.replies) / took:.0f} requests/s; per 5 s: "
        + " ".join(str(buckets[b]) for b in range(max(buckets, default=0) + 1))
    )
    for kind, method in [("link", "GET"), ("start page", "GET"), ("start", "POST")] + [
        ("page", "GET"),
        ("submit", "POST"),
    ]:
        times = [r.seconds for k, _, r in log.replies if k == kind and r.status in (200, 302)]
        print(f"latency of {kind} {method}: {percentiles(times)}")
    print("replies: " + log.statuses())
    print("events: " + "; ".join(events))
    cores = os.cpu_count() or 1
    requests = len(log.replies)
    print(
        f"CPU in {cpu.seconds:.0f} s ({cpu.seconds * cores:.0f} core-s on {cores} cores): "
        + ", ".join(
            f"{part} {used:.1f} s ({used * 1000 / max(1, len(acknowledged)):.1f} ms per "
            f"submission, {used * 1000 / max(1, requests):.1f} ms per request)"
            for part, used in sorted(cpu.used.items(), key=lambda item: -item[1])
        )
    )
    problems, summary, _ = verify(acknowledged)
    errors = [r for _, _, r in log.replies if r.status == 500]
    if errors:
        problems.append(f"{len(errors)} replies were 500 instead of the 503 page")
    print(summary)
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))


def shell(command: str, timeout: float = 120) -> tuple[float, str]:
    """Run a fault's shell command; how long it took, and what went wrong if it failed."""
    began = time.monotonic()
    done = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, timeout=timeout, check=False
    )
    failed = "" if done.returncode == 0 else f" (FAILED: {done.stderr.strip()[-200:]})"
    return time.monotonic() - began, failed


def healthy(proxy: str, seconds: float = 90) -> float | None:
    """Seconds until /health/ answers 200 through nginx, or None."""
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        try:
            with urllib.request.urlopen(f"{proxy}/health/", timeout=5) as reply:
                if reply.status == 200:
                    return time.monotonic() - began
        except OSError:
            pass
        time.sleep(0.25)
    return None


def seen(log: Log) -> str:
    """What people were shown instead of the next page, by kind of reply."""
    refused = Counter()
    for _, _, r in log.replies:
        if r.status in (200, 302):
            continue
        if r.status == 503 and r.retry_after:
            refused["the 503 page (Retry-After)"] += 1
        elif r.status == 0:
            refused["no answer (connection refused or reset, or 10 s)"] += 1
        else:
            refused[f"{r.status}"] += 1
    return ", ".join(f"{what} x{n}" for what, n in refused.most_common()) or "nothing but pages"


def web_fault(
    name: str, inject: str, recover: str, people: list[Person], args: argparse.Namespace
) -> dict[str, object]:
    """People going through the flow for --seconds; the fault at a third of the window, the
    recovery --hold seconds later; then the database check for these people."""
    log = Log()
    events: list[str] = []
    acknowledged: list[Person] = []
    journeys: list[float] = []

    def work(person: Person) -> None:
        began = time.monotonic()
        if start(person, log) and answer(person, log):
            acknowledged.append(person)
            journeys.append(time.monotonic() - began)

    def disturb() -> None:
        time.sleep(args.seconds / 3)
        at = time.monotonic() - log.started
        took, failed = shell(inject)
        events.append(f"at {at:.1f} s{failed}")
        if recover:
            time.sleep(args.hold)
            took, failed = shell(recover)
            events.append(f"recovered in {took:.1f} s{failed}")

    disturber = threading.Thread(target=disturb, daemon=True)
    resent_before = Counter(Browser.resent)
    disturber.start()
    offered, _ = run_all(people, work, clients=args.clients, rate=args.rate, seconds=args.seconds)
    disturber.join()
    back = healthy(args.proxy)
    resent = Browser.resent - resent_before
    keys = {p.key for p in people if p.key}
    problems, _, counts = verify(acknowledged, keys)
    errors = sum(1 for _, _, r in log.replies if r.status == 500)
    return {
        "fault": name,
        "events": "; ".join(events) + ("" if back is not None else "; NOT healthy after 90 s"),
        "started": offered,
        "acknowledged": len(acknowledged),
        "gave up": offered - len(acknowledged),
        "seen": seen(log)
        + "".join(
            f"; {n} {method} resent on a new connection (a kept-alive one closed), as browsers do"
            for method, n in sorted(resent.items())
        ),
        "slowest": max(journeys, default=0.0),
        "problems": problems + ([f"{errors} replies were 500"] if errors else []),
        **counts,
    }


def mail_fault(args: argparse.Namespace) -> dict[str, object]:
    """The task worker killed (kill -9) mid-batch of invitations to a slow mail server (an
    aiosmtpd sink in this process), then the scheduler and a fresh worker: each person must
    get their invitation once. The 30 minutes after which the scheduler takes a dead
    worker's task back are aged in the database, as tests/ops/test_mail_outages.py does."""
    import asyncio
    import socket
    from datetime import timedelta

    from aiosmtpd.controller import Controller

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "survey.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from survey.models import Company, Respondent, Round
    from survey.writes.tasks import queue_invitations

    told: Counter[str] = Counter()
    others: Counter[str] = Counter()
    arrivals: list[tuple] = []

    class Sink:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
            await asyncio.sleep(0.02)  # a slow mail server: the batch takes seconds
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            # Only this fault's people: the demo's own e-mails, queued when it was loaded,
            # go out first (to other addresses) and are counted apart.
            for address in envelope.rcpt_tos:
                (told if address.endswith("@rehearsal.test") else others)[address] += 1
            arrivals.append((round(time.monotonic(), 3), session.peer[1], *envelope.rcpt_tos))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    company = Company.objects.create(name="Rehearsal mail", slug="rehearsal-mail")
    survey_round = Round.objects.create(company=company, title="Invitations")
    emails = [f"p{n}@rehearsal.test" for n in range(args.invitations)]
    with transaction.atomic():
        ids = [
            r.pk
            for r in Respondent.objects.bulk_create(
                Respondent(round=survey_round, department=("sales", "marketing")[n % 2], email=e)
                for n, e in enumerate(emails)
            )
        ]
        queue_invitations(ids, args.proxy)
    env = os.environ | {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_TIMEOUT": "10",
    }
    command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    began = time.monotonic()
    if args.kill_when == "accepted":
        # The worst moment: as the mail server accepts the message halfway through (with
        # 300, the middle of the second batch of 100), before the worker can record it.
        while sum(told.values()) < args.invitations // 2 and time.monotonic() - began < 120:
            time.sleep(0.001)
    else:
        # At no particular point of the SMTP conversation: 0.5-2.5 s after a third went.
        while sum(told.values()) < args.invitations // 3 and time.monotonic() - began < 120:
            time.sleep(0.01)
        time.sleep(random.uniform(0.5, 2.5))
    worker.kill()  # kill -9
    worker.wait(timeout=30)
    at_kill = sum(told.values())
    marked_sent = set(
        Respondent.objects.filter(round=survey_round, invitation_status="sent").values_list(
            "email", flat=True
        )
    )
    marked = len(marked_sent)
    print(
        f"at the kill: {at_kill} messages reached the mail server for {len(told)} people, "
        f"{marked} marked sent, {len(set(told) - marked_sent)} reached it but are not marked",
        flush=True,
    )
    running = DBTaskResult.objects.filter(status="RUNNING").count()
    half_hour = timezone.now() - timedelta(minutes=31)
    Respondent.objects.filter(round=survey_round, invitation_status="queued").update(
        invitation_status_at=half_hour
    )
    DBTaskResult.objects.filter(status="RUNNING").update(started_at=half_hour)
    scheduler = subprocess.run(
        [sys.executable, "manage.py", "send_due_emails", "--base-url", args.proxy],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    again = subprocess.run(
        [*command, "--batch"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
        timeout=300,
        check=False,
    )
    controller.stop()
    if args.arrivals:
        args.arrivals.write_text("\n".join(" ".join(map(str, a)) for a in arrivals) + "\n")
    doubled = sum(1 for n in told.values() if n > 1)
    lost = sum(1 for e in emails if e not in told)
    still_running = DBTaskResult.objects.filter(status="RUNNING").count()
    problems = [f"{n} {what}" for n, what in [(lost, "never sent"), (doubled, "sent twice")] if n]
    if again.returncode or scheduler.returncode:
        problems.append("the scheduler or the second worker failed")
    return {
        "fault": "task worker killed mid-batch (kill -9"
        + (", as the mail server accepts a message)" if args.kill_when == "accepted" else ")"),
        "events": (
            f"{args.invitations} invitations queued (batches of 100) to a slow mail server; "
            f"killed after {at_kill} had reached it ({marked} marked sent, {running} task "
            f"left running; before them the worker sent the demo's {sum(others.values())} "
            f"queued e-mails); the scheduler (30 min aged): "
            f"{scheduler.stdout.strip().split(';', 1)[-1].strip()}; a fresh worker"
        ),
        "started": args.invitations,
        "acknowledged": sum(1 for e in emails if e in told),
        "gave up": 0,
        "seen": f"{args.invitations - at_kill} people got their invitation only after the "
        f"scheduler took the dead worker's task back; {still_running} task still running",
        "slowest": 0.0,
        "problems": problems,
        "lost": lost,
        "doubled": doubled,
        "partial": 0,
        "unacknowledged": 0,
    }


def faults(args: argparse.Namespace) -> None:
    """One window of people per fault, then the mail fault: a row each for the table."""
    host, port = urllib.parse.urlsplit(args.proxy).hostname, urllib.parse.urlsplit(args.proxy).port
    people = [Person(token=t, browser=Browser(host, port)) for t in args.tokens.read_text().split()]
    for person in people:
        person.ratings = [random.randint(1, 5) for _ in range(20)]
    rows, used = [], 0
    for name, inject, recover in args.fault:
        window = people[used : used + int(args.rate * args.seconds)]
        row = web_fault(name, inject, recover, window, args)
        used += row["started"]
        rows.append(row)
        print(f"{name}: {json.dumps(row)}", flush=True)
    if args.invitations:
        rows.append(mail_fault(args))
        print(f"{rows[-1]['fault']}: {json.dumps(rows[-1])}", flush=True)
    print(
        "\n| fault | when | people / messages | acknowledged | lost | doubled | stored, not "
        "acknowledged | gave up after 5 tries | what a person saw | slowest journey |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for r in rows:
        print(
            f"| {r['fault']} | {r['events']} | {r['started']} | {r['acknowledged']} | "
            f"{r['lost']} | {r['doubled']} (partial {r['partial']}) | {r['unacknowledged']} | "
            f"{r['gave up']} | {r['seen']} | {r['slowest']:.1f} s |"
        )
    problems = [f"{r['fault']}: {p}" for r in rows for p in r["problems"]]
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))


LUA = """
people = {%(people)s}
threads, unexpected, i = {}, 0, 0
function setup(thread) thread:set("id", #threads); table.insert(threads, thread) end
function init(args)
  mode, i = args[1], id * 997
  expected = mode == "post" and 302 or 200
end
function request()
  i = i + 1
  local person = people[i %% #people + 1]
  local path = "/s/r/" .. person[1] .. "/"
  if mode ~= "post" then return wrk.format("GET", path, {Cookie = person[2]}) end
  local body = {"csrfmiddlewaretoken=" .. person[3]}
  for n = 1, 20 do body[#body + 1] = "s" .. n .. "=" .. math.random(1, 5) end
  local headers = {Cookie = person[2], ["Content-Type"] = "application/x-www-form-urlencoded"}
  return wrk.format("POST", path, headers, table.concat(body, "&"))
end
function response(status) if status ~= expected then unexpected = unexpected + 1 end end
function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout
  for _, t in ipairs(threads) do errors = errors + t:get("unexpected") end
  print(string.format("RESULT %%d %%d %%d %%d %%d %%d", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), errors))
end
"""


def pages(args: argparse.Namespace) -> None:
    """wrk GETs the survey pages of the started people, then POSTs their 20 ratings again
    and again (a submission replaces the earlier one); each must still hold 20 answers."""
    people = json.loads(args.started.read_text())
    cookies = ["; ".join(f"{k}={v}" for k, v in p["cookies"].items()) for p in people]
    # The CSRF cookie holds the unmasked secret, which Django also accepts as the field.
    listed = ",".join(
        f'{{"{p["key"]}","{c}","{p["cookies"]["csrftoken"]}"}}'
        for p, c in zip(people, cookies, strict=True)
    )
    script = args.work / "pages.lua"
    script.write_text(LUA % {"people": listed})
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "5s"]
    failed = False
    for mode, what in [("get", "survey page GET"), ("post", "submission POST (again)")]:
        out = subprocess.run(
            [*command, "-s", str(script), f"{args.proxy}/", "--", mode],
            capture_output=True,
            text=True,
            check=True,
            timeout=args.seconds + 30,
        ).stdout
        line = next(ln for ln in out.splitlines() if ln.startswith("RESULT "))
        requests, duration, p50, p90, p99, errors = map(int, line.split()[1:])
        print(
            f"{what} through nginx, {len(people)} started surveys, wrk 2 threads, "
            f"{args.connections} connections, {args.seconds} s: "
            f"{requests / duration * 1e6:.0f}/s, p50 {p50 / 1000:.0f} ms, p90 "
            f"{p90 / 1000:.0f} ms, p99 {p99 / 1000:.0f} ms, {errors} errors or unexpected "
            f"statuses"
        )
        failed = failed or bool(errors)
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        counts = conn.execute(
            "SELECT count(*) FROM survey_answer a JOIN survey_respondent r"
            " ON r.id = a.respondent_id WHERE r.key = ANY(%s) GROUP BY r.id",
            [[p["key"] for p in people]],
        ).fetchall()
    print(
        f"answers: {len(counts)} of the {len(people)} got posts (wrk rotates over them), "
        f"each holds {' or '.join(str(n) for n in sorted({n for (n,) in counts}))} answers"
    )
    if failed or {n for (n,) in counts} != {20}:
        raise SystemExit("FAILED: errors, or a partial or doubled answer set")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    seeding = commands.add_parser("seed")
    seeding.add_argument("--people", type=int, required=True)
    seeding.add_argument("--tokens", type=Path, required=True)
    load = commands.add_parser("submits")
    load.add_argument("--proxy", required=True)
    load.add_argument("--tokens", type=Path, required=True)
    load.add_argument("--started", type=Path, required=True)
    load.add_argument("--work", type=Path, required=True)
    load.add_argument("--app1-pid", type=Path, required=True)
    load.add_argument("--restart-db", required=True)
    load.add_argument("--rate", type=float, default=110)
    load.add_argument("--seconds", type=int, default=40)
    load.add_argument("--clients", type=int, default=32)
    load.add_argument("--prepared", type=int, default=200, help="started before, for wrk")
    hurt = commands.add_parser("faults")
    hurt.add_argument("--proxy", required=True)
    hurt.add_argument("--tokens", type=Path, required=True)
    hurt.add_argument(
        "--fault",
        nargs=3,
        action="append",
        default=[],
        metavar=("NAME", "INJECT", "RECOVER"),
        help="shell commands: the fault, and what brings the service back ('' for nothing)",
    )
    hurt.add_argument("--rate", type=float, default=8)
    hurt.add_argument("--seconds", type=int, default=24)
    hurt.add_argument("--hold", type=float, default=5, help="seconds between fault and recovery")
    hurt.add_argument("--clients", type=int, default=32)
    hurt.add_argument("--invitations", type=int, default=300, help="0: no task worker fault")
    hurt.add_argument(
        "--kill-when",
        choices=["random", "accepted"],
        default="random",
        help="kill the worker at a random moment, or as the mail server accepts a message",
    )
    hurt.add_argument("--arrivals", type=Path, help="where to write what the mail server got")
    wrk = commands.add_parser("pages")
    wrk.add_argument("--proxy", required=True)
    wrk.add_argument("--started", type=Path, required=True)
    wrk.add_argument("--work", type=Path, required=True)
    wrk.add_argument("--seconds", type=int, default=20)
    wrk.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if args.command == "seed":
        seed(args.people, args.tokens)
    elif args.command == "submits":
        submits(args)
    elif args.command == "faults":
        faults(args)
    else:
        pages(args)


if __name__ == "__main__":
    main()
