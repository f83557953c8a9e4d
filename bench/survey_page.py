"""Load-test the survey page (GET /s/r/<key>/) and submissions (POST) under gunicorn + wrk.

Each respondent has started their survey in a browser: the requests carry that browser's
device cookie, as a staff member's phone does on every visit after the first.

Creates a throwaway PostgreSQL database, seeds respondents, serves the app with gunicorn
(DEBUG off, static via whitenoise's manifest), drives it with wrk, checks the answers in the
database, prints a table, then always stops gunicorn and drops the database. See README.md.
"""

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DB = "bench_survey"
PG = "postgresql://postgres@127.0.0.1:5432"
RESPONDENTS = 2000
LUA = """
people = {%(people)s}
csrf = "%(csrf)s"
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
  local headers = {Cookie = "survey_device=" .. person[2] .. "; csrftoken=" .. csrf}
  if mode ~= "post" then return wrk.format("GET", path, headers) end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  local body = {"csrfmiddlewaretoken=" .. csrf}
  for n = 1, 20 do body[#body + 1] = "s" .. n .. "=" .. math.random(1, 5) end
  return wrk.format("POST", path, headers, table.concat(body, "&"))
end
function response(status) if status ~= expected then unexpected = unexpected + 1 end end
function done(summary, latency, requests)
  local e = summary.errors  -- socket errors, plus every status other than the expected one
  local errors = e.connect + e.read + e.write + e.timeout
  for _, t in ipairs(threads) do errors = errors + t:get("unexpected") end
  print(string.format("RESULT %%d %%d %%d %%d %%d", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), errors))
end
"""
CHECK_SQL = """
SELECT max(n), count(*) FILTER (WHERE submitted_at IS NOT NULL),
       count(*) FILTER (WHERE n NOT IN (0, 20) OR (submitted_at IS NULL) <> (n = 0))
FROM (SELECT r.submitted_at, count(a.id) n FROM survey_respondent r
      LEFT JOIN survey_answer a ON a.respondent_id = r.id GROUP BY r.id) t
"""


def admin(*statements: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def seed() -> list[tuple[str, str]]:
    """Migrate, collect static files and create one company, one open round, and
    respondents who have each started their survey in a browser: (key, device secret)."""
    import django
    from django.core.management import call_command

    django.setup()
    from survey.models import Company, Respondent, Round, hash_token, new_token

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    company = Company.objects.create(name="Bench Co.", slug="bench", anonymity_threshold=5)
    round_ = Round.objects.create(company=company, title="Bench round")
    secrets_ = [new_token() for _ in range(RESPONDENTS)]
    people = Respondent.objects.bulk_create(
        Respondent(
            round=round_, department=("sales", "marketing")[n % 2], device_hash=hash_token(s)
        )
        for n, s in enumerate(secrets_)
    )
    return [(p.key, s) for p, s in zip(people, secrets_, strict=True)]


def wait_until_up(url: str, secret: str, server: subprocess.Popen) -> None:
    """Poll until a survey page with its 100 radios comes back, for at most 30 s."""
    request = urllib.request.Request(url, headers={"Cookie": f"survey_device={secret}"})
    for _ in range(150):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(request, timeout=2) as resp:
                if resp.read().count(b'type="radio"') == 100:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"no survey page with 100 radios at {url} within 30 s")


def run_wrk(script: Path, url: str, mode: str, args: argparse.Namespace, seconds: int) -> tuple:
    cmd = ["wrk", "-t2", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "5s"]
    out = subprocess.run(
        [*cmd, "-s", str(script), url, "--", mode], capture_output=True, text=True, check=True
    ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("RESULT "))
    requests, duration_us, p50_us, p99_us, errors = map(int, line.split()[1:])
    return requests / duration_us * 1e6, p50_us / 1000, p99_us / 1000, errors


def check_answers() -> list[str]:
    """Every respondent has either no answers and no submitted_at, or exactly 20 and one."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(CHECK_SQL)
        most, posted, wrong = cur.fetchone()
    problems = [f"a respondent has {most} answers"] if most != 20 else []
    problems += [f"{wrong} respondents have a partial answer set"] if wrong else []
    return problems + (["no respondent was stored as posted"] if not posted else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]  # anything else busy on the machine skews the figures
    tmp = Path(tempfile.mkdtemp(prefix="bench-survey-"))
    csrf = secrets.token_hex(16)  # 32 alphanumerics: a valid unmasked CSRF secret
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.survey_page_settings",  # temp STATIC_ROOT
        BENCH_STATIC_ROOT=str(tmp / "static"),
        DATABASE_URL=f"{PG}/{DB}",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT))
    admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", f"CREATE DATABASE {DB}")
    server, results, problems = None, {}, []
    try:
        people = seed()
        script = tmp / "survey.lua"
        listed = ",".join(f'{{"{key}","{secret}"}}' for key, secret in people)
        script.write_text(LUA % {"people": listed, "csrf": csrf})
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        url = f"http://127.0.0.1:{port}"
        with open(tmp / "gunicorn.log", "w") as log:  # the child keeps its own copy
            cmd = f"gunicorn survey.wsgi -k sync -w {args.workers} -b 127.0.0.1:{port}"
            server = subprocess.Popen(
                [sys.executable, "-m", *cmd.split()], cwd=ROOT, stdout=log, stderr=log
            )
        wait_until_up(f"{url}/s/r/{people[0][0]}/", people[0][1], server)
        run_wrk(script, url, "get", args, 2)  # warm-up: every worker loads its templates
        results["GET survey page"] = run_wrk(script, url, "get", args, args.seconds)
        results["POST submission"] = run_wrk(script, url, "post", args, args.seconds)
        problems = check_answers()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        if (problems or not results) and (tmp / "gunicorn.log").exists():
            print((tmp / "gunicorn.log").read_text()[-3000:], file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next(ln for ln in cpuinfo if ln.startswith("model name")).split(":", 1)[1].strip()
    nproc = subprocess.check_output(["nproc"], text=True).strip()
    print(f"\nCPU: {nproc} cores, {model}; load average before the run: {load_before:.2f}")
    print(f"gunicorn: {args.workers} sync workers; wrk: 2 threads, {args.connections} connections,")
    print(f"{args.seconds} s per phase; {RESPONDENTS} respondents\n")
    print(f"{'phase':<18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for phase, (rps, p50, p99, errors) in results.items():
        print(f"{phase:<18}{rps:>9.1f}{p50:>9.1f}{p99:>9.1f}{errors:>8}")
        problems += [f"{phase}: {errors} errors or unexpected statuses"] if errors else []
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))
    print("\nOK: no errors; every posted respondent has exactly 20 answers, none has more.")


if __name__ == "__main__":
    main()
