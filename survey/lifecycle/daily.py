"""The daily step of `manage.py send_due_emails` (which the scheduler runs every few
minutes): the erasures that are due, at most once a day (the site's TIME_ZONE)."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from survey.lifecycle.deletion import erase_due_companies
from survey.lifecycle.retention import erase_due_rounds
from survey.models import DailyRun

JOB = "lifecycle"


@dataclass(frozen=True, kw_only=True)
class Erased:
    rounds: int
    companies: int


@transaction.atomic
def run_daily(*, now: datetime) -> Erased | None:
    """Erase the personal data of rounds past their company's retention, then the companies
    past their grace period. None when it already ran today (the row lock makes two
    schedulers at the same moment run it once)."""
    today = timezone.localdate(now)
    run, _ = DailyRun.objects.select_for_update().get_or_create(
        job=JOB, defaults={"ran_on": today.replace(year=today.year - 1)}
    )
    if run.ran_on >= today:
        return None
    companies = erase_due_companies(now=now)
    rounds = erase_due_rounds(now=now)
    run.ran_on = today
    run.save(update_fields=["ran_on"])
    return Erased(rounds=rounds, companies=companies)
