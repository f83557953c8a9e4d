"""The API's latency for a closed round of 10,000 respondents, against a trivial view in
the same run; run by hand.

    .venv/bin/python bench/api.py            # SQLite file in /tmp (rebuilt each run)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sm_bench .venv/bin/python bench/api.py

Seeds the round as bench/dashboard.py does, closes it (publishing its results once), makes
a token, then asks in-process with Django's test Client, interleaved so that the machine's
load falls on both alike: /robots.txt (the trivial view: the same middleware, no
database), /api/v1/company (the token's checks alone), /api/v1/rounds/{id}/results and
the same with If-None-Match (a 304). Prints medians and p95 in ms and each as a ratio to
the trivial view's median, the figure that survives a busy shared machine.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/sm-bench-api.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "survey.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("API_REQUESTS_PER_MINUTE", "1000000")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.dashboard import seed  # noqa: E402
from survey.models import Company, Round  # noqa: E402
from survey.writes.api_tokens import create_token  # noqa: E402
from survey.writes.services import close_round  # noqa: E402

SIZE = int(os.environ.get("SIZE", "10000"))
RUNS = int(os.environ.get("RUNS", "30"))


def timed(client: Client, url: str, status: int, **headers: str) -> float:
    start = time.perf_counter()
    response = client.get(url, headers=headers)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == status, (url, response.status_code)
    return elapsed


def main() -> None:
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    company = Company.objects.create(name="Bench", slug="bench", anonymity_threshold=5)
    survey_round = Round.objects.create(company=company, title=f"{SIZE}")
    seed(survey_round, SIZE)
    close_round(survey_round=survey_round, actor=None)
    _, token = create_token(
        company=company,
        name="bench",
        scopes=["results", "plan"],
        expires_at=timezone.now() + timedelta(days=1),
        actor=None,
    )
    client = Client(headers={"Authorization": f"Bearer {token}"})
    results = f"/api/v1/rounds/{survey_round.pk}/results"
    etag = client.get(results)["ETag"]
    cases = {
        "trivial view (/robots.txt)": ("/robots.txt", 200, {}),
        "API company": ("/api/v1/company", 200, {}),
        "API results": (results, 200, {}),
        "API results, 304": (results, 304, {"If-None-Match": etag}),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(RUNS):
        for name, (url, status, headers) in cases.items():
            times[name].append(timed(client, url, status, **headers))
    base = statistics.median(times["trivial view (/robots.txt)"])
    print(f"{connection.vendor}, {SIZE:,} respondents, {RUNS} requests each, interleaved")
    print("request | median ms | p95 ms | x trivial view")
    for name, values in times.items():
        median = statistics.median(values)
        p95 = statistics.quantiles(values, n=20)[-1]
        print(f"{name} | {median:.1f} | {p95:.1f} | {median / base:.1f}")


if __name__ == "__main__":
    main()
