"""Render a closed round's results at 10, 100, 1,000 and 10,000 respondents; run by hand.

    .venv/bin/python bench/dashboard.py            # SQLite file in /tmp (rebuilt each run)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sm_bench .venv/bin/python bench/dashboard.py

Seeds one company and round per size with bulk_create into the bench database (never the dev one),
closes it (which publishes its results once, timed), then renders the results page
in-process with Django's test Client and prints the median and 95th percentile render time
and the number of queries. Figures go in bench/README.md.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/sm-bench-dashboard.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "survey.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from survey.models import Answer, Company, Membership, Respondent, Round  # noqa: E402
from survey.writes.services import close_round  # noqa: E402

SIZES = (10, 100, 1_000, 10_000)
RUNS = int(os.environ.get("RUNS", "30"))


def seed(round: Round, size: int) -> None:
    """`size` answered respondents, alternating departments; the first two are the heads."""
    now = timezone.now()
    people = Respondent.objects.bulk_create(
        Respondent(
            round=round,
            department=("sales", "marketing")[i % 2],
            role="leader" if i < 2 else "staff",
            key=f"b{round.pk}-{i}".ljust(22, "x"),
            submitted_at=now,
            claimed_via="email",
            updated_at=now,
        )
        for i in range(size)
    )
    for first in range(0, size, 1000):
        Answer.objects.bulk_create(
            Answer(respondent=r, statement=n, rating=1 + (n * 7 + r.pk * 3) % 5)
            for r in people[first : first + 1000]
            for n in range(1, 21)
        )


def render(client: Client, url: str) -> tuple[float, int]:
    reset_queries()
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed, len(connection.queries)


def main() -> None:
    settings.DEBUG = True  # count queries
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench@bench.test", "bench@bench.test", "x")
    client = Client()
    client.force_login(user)
    print(f"{connection.vendor}, {RUNS} renders each")
    print("respondents | publish at close ms | page median ms | p95 ms | queries")
    for size in SIZES:  # a company per size, so no trend section
        company = Company.objects.create(name=f"B{size}", slug=f"b{size}", anonymity_threshold=5)
        Membership.objects.create(user=user, company=company, role="owner")
        survey_round = Round.objects.create(company=company, title=f"{size}")
        seed(survey_round, size)
        start = time.perf_counter()
        close_round(survey_round=survey_round, actor=None)
        publish = (time.perf_counter() - start) * 1000
        url = f"/rounds/{survey_round.pk}/"
        render(client, url)
        times, queries = zip(*(render(client, url) for _ in range(RUNS)), strict=True)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"{size:>11,} | {publish:>19.1f} | {statistics.median(times):>14.1f} | "
            f"{p95:>6.1f} | {max(queries)}"
        )


if __name__ == "__main__":
    main()
