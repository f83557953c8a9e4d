"""Render the dashboard at 10, 100, 1,000 and 10,000 respondents; run by hand.

    .venv/bin/python bench/dashboard.py            # SQLite file in /tmp (rebuilt each run)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sm_bench .venv/bin/python bench/dashboard.py

Seeds one round per size with bulk_create into the bench database (never the dev one),
renders the view in-process with Django's test Client, and prints the median and 95th
percentile render time and the number of queries of three cases: a page view (nothing
changed since the last view), a release (k new answers in each department before each
render, so the view publishes them) and a change (one counted staff member changes their
answers before each render: the view looks, and publishes nothing). It also prints the
one-off first view of each round, which publishes all its answers at once. Figures go in
bench/README.md.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
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
from survey.services import submit_answers  # noqa: E402

SIZES = (10, 100, 1_000, 10_000)
RUNS = int(os.environ.get("RUNS", "30"))


def seed(round: Round, size: int, start: int = 0, hours_ago: int = 0) -> list[Respondent]:
    """`size` answered respondents, alternating departments; the first two are the heads."""
    now = timezone.now() - timedelta(hours=hours_ago)
    people = Respondent.objects.bulk_create(
        Respondent(
            round=round,
            department=("sales", "marketing")[i % 2],
            role="leader" if i < 2 else "staff",
            token_hash=f"bench-{round.pk}-{i}".ljust(64, "x"),
            submitted_at=now,
            updated_at=now,
        )
        for i in range(start, start + size)
    )
    for first in range(0, size, 1000):
        Answer.objects.bulk_create(
            Answer(respondent=r, statement=n, rating=1 + (n * 7 + r.pk * 3) % 5)
            for r in people[first : first + 1000]
            for n in range(1, 21)
        )
    return people


def release(round: Round, state: dict) -> None:
    """k new answers in each department: the next view releases them."""
    batch = 2 * round.anonymity_threshold
    seed(round, batch, start=state["next"])
    state["next"] += batch


def change(round: Round, state: dict) -> None:
    """One counted staff member changes their answers: the next view publishes nothing."""
    state["edits"] += 1
    ratings = {n: 1 + (n + state["edits"]) % 5 for n in range(1, 21)}
    submit_answers(respondent=state["staff"], ratings=ratings)


CASES = (("page view", None), ("release", release), ("change", change))


def measure(client: Client, round: Round, before, state: dict) -> tuple[float, float, int]:
    """Median ms, 95th percentile ms and queries of RUNS renders of the dashboard."""
    url = f"/rounds/{round.pk}/"
    timings = []
    for _ in range(RUNS):
        if before is not None:
            before(round, state)
        reset_queries()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    queries = len(connection.queries)
    p95 = statistics.quantiles(timings, n=20)[-1]
    return statistics.median(timings), p95, queries


def first_view(client: Client, round: Round) -> float:
    """Ms of the view that publishes every answer of the round at once."""
    started = time.perf_counter()
    assert client.get(f"/rounds/{round.pk}/").status_code == 200
    return (time.perf_counter() - started) * 1000


def main() -> None:
    settings.DEBUG = True  # so connection.queries counts the queries
    call_command("migrate", verbosity=0)
    Company.objects.filter(slug__startswith="bench").delete()
    user, _ = get_user_model().objects.get_or_create(username="bench@example.test")
    client = Client()
    client.force_login(user)
    print(f"{connection.vendor}, {RUNS} renders per size and case")
    print(f"{'respondents':>11}  {'case':<18} {'median ms':>9}  {'p95 ms':>7}  {'queries':>7}")
    for size in SIZES:
        # One company per size, so each dashboard shows one round (no trend section).
        company = Company.objects.create(name=f"Bench {size}", slug=f"bench-{size}")
        Membership.objects.create(user=user, company=company)
        round = Round.objects.create(company=company, title=f"{size} respondents")
        people = seed(round, size, hours_ago=24)  # answered yesterday
        first = first_view(client, round)
        client.get(f"/rounds/{round.pk}/")  # compile the templates
        state = {"next": size, "edits": 0, "staff": people[2]}
        for case, before in CASES:
            median, p95, queries = measure(client, round, before, state)
            print(f"{size:>11}  {case:<18} {median:>9.1f}  {p95:>7.1f}  {queries:>7}")
        print(f"{size:>11}  {'first view (all)':<18} {first:>9.1f}")


if __name__ == "__main__":
    main()
