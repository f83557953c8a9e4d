"""Render the dashboard at 10, 100, 1,000 and 10,000 respondents; run by hand.

    .venv/bin/python bench/dashboard.py            # SQLite file in /tmp (rebuilt each run)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sm_bench .venv/bin/python bench/dashboard.py

Seeds one round per size with bulk_create into the bench database (never the dev one),
renders the view in-process with Django's test Client, and prints the median and 95th
percentile render time and the number of queries, both for a page view (the round's
aggregates cached, as after the first view since the last answer) and for the first view
after an answer (cache cleared before each render). Figures go in bench/README.md.
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
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from survey.models import Answer, Company, Membership, Respondent, Round  # noqa: E402

SIZES = (10, 100, 1_000, 10_000)
RUNS = int(os.environ.get("RUNS", "30"))


def seed(company: Company, size: int) -> Round:
    """`size` respondents, a tenth of them heads, alternating departments, all answered."""
    round = Round.objects.create(company=company, title=f"{size} respondents")
    now = timezone.now()
    people = Respondent.objects.bulk_create(
        Respondent(
            round=round,
            department=("sales", "marketing")[i % 2],
            role="leader" if i < 2 else "staff",
            token_hash=f"bench-{round.pk}-{i}".ljust(64, "x"),
            submitted_at=now,
        )
        for i in range(size)
    )
    for start in range(0, size, 1000):
        Answer.objects.bulk_create(
            Answer(respondent=r, statement=n, rating=1 + (n * 7 + r.pk * 3) % 5)
            for r in people[start : start + 1000]
            for n in range(1, 21)
        )
    return round


def measure(client: Client, round: Round, *, cold: bool) -> tuple[float, float, int]:
    """Median ms, 95th percentile ms and queries of RUNS renders of the dashboard."""
    url = f"/rounds/{round.pk}/"
    client.get(url)  # compile the templates
    timings = []
    for _ in range(RUNS):
        if cold:
            cache.clear()
        reset_queries()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    queries = len(connection.queries)
    p95 = statistics.quantiles(timings, n=20)[-1]
    return statistics.median(timings), p95, queries


def main() -> None:
    settings.DEBUG = True  # so connection.queries counts the queries
    call_command("migrate", verbosity=0)
    Company.objects.filter(slug="bench").delete()
    company = Company.objects.create(name="Bench", slug="bench", anonymity_threshold=5)
    user, _ = get_user_model().objects.get_or_create(username="bench@example.test")
    Membership.objects.get_or_create(user=user, company=company)
    client = Client()
    client.force_login(user)
    print(f"{connection.vendor}, {RUNS} renders per size and case")
    print(f"{'respondents':>11}  {'case':<18} {'median ms':>9}  {'p95 ms':>7}  {'queries':>7}")
    for size in SIZES:
        round = seed(company, size)
        for cold, case in ((False, "page view"), (True, "first after answer")):
            median, p95, queries = measure(client, round, cold=cold)
            print(f"{size:>11}  {case:<18} {median:>9.1f}  {p95:>7.1f}  {queries:>7}")


if __name__ == "__main__":
    main()
