"""What `manage.py send_due_emails` does each time it runs: closes (and publishes) the rounds
whose close date has passed, marks the tasks of dead workers failed, then queues failed or
lost invitations and results e-mails again, automatic reminders, and the retries of failed
reminders.

Automatic reminders go to people with an address who have not answered an open round:
once AFTER_INVITATION has passed since their invitation was sent, and once again when the
round closes within BEFORE_CLOSE; never within a day of the invitation or of another
reminder. None of it is ever shown against a person (survey/models.py).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from survey.models import EmailStatus, Respondent, Round
from survey.writes.playback import queue_results
from survey.writes.services import close_round
from survey.writes.tasks import (
    MAX_FAILURES,
    REMINDER_INTERVAL,
    STALE,
    not_queued,
    queue_invitations,
    queue_reminders,
    retry_delay,
    unanswered,
)

logger = logging.getLogger(__name__)

AFTER_INVITATION = timedelta(days=3)
BEFORE_CLOSE = timedelta(days=2)


def close_due_rounds(*, now: datetime) -> int:
    """Close and publish every open round whose close date has passed, each in its own
    transaction, so its results e-mail is queued once it is committed. Without this a
    round closed only when someone next opened one of its pages, and nobody was told.
    close_round locks the round, so a visitor closing it at the same moment publishes and
    announces it once: whoever comes second finds it closed."""
    due = Round.objects.filter(closed_at__isnull=True, closes_at__lte=now).order_by("pk")
    closed = 0
    for survey_round in due:
        try:
            close_round(survey_round=survey_round, actor=None)
        except Exception:  # one round that cannot close holds up neither the others nor mail
            logger.exception("round %s is past its close date and could not close", survey_round.pk)
        else:
            closed += 1
    return closed


def retry_invitations(*, now: datetime, base_url: str) -> int:
    """Queue again the invitations that failed (after a pause that doubles each time, up to
    MAX_FAILURES in a row) or that were queued too long ago to be still on their way."""
    waiting = Respondent.objects.filter(
        Q(round__closed_at__isnull=True)
        & (Q(round__closes_at__isnull=True) | Q(round__closes_at__gt=now)),
        removed_at=None,
    ).exclude(email="")
    ids = list(waiting.filter(due_again("invitation", now)).values_list("pk", flat=True))
    queue_invitations(ids, base_url)
    return len(ids)


def due_again(email: str, now: datetime) -> Q:
    """The people whose `email` ("invitation", "results") failed and has waited its pause
    (which doubles each time, up to MAX_FAILURES in a row), or was queued more than STALE
    ago and is still not sent (its task was lost: a worker killed mid-batch)."""
    status, at, failures = f"{email}_status", f"{email}_status_at", f"{email}_failures"
    due = Q(**{status: EmailStatus.QUEUED, f"{at}__lte": now - STALE})
    for count in range(1, MAX_FAILURES):
        due |= Q(
            **{status: EmailStatus.FAILED, failures: count, f"{at}__lte": now - retry_delay(count)}
        )
    return due


def retry_results(*, now: datetime) -> int:
    """Queue again the results e-mails that failed or were lost, as invitations."""
    waiting = Respondent.objects.filter(round__closed_at__isnull=False, removed_at=None).exclude(
        email=""
    )
    ids = list(waiting.filter(due_again("results", now)).values_list("pk", flat=True))
    queue_results(ids)
    return len(ids)


class LostTask(Exception):
    """What a task row left running by a stopped worker is marked failed with."""


def reclaim_lost_tasks(*, now: datetime) -> int:
    """Task rows left "running" by a worker that died (SIGKILL, a lost machine, its database
    gone mid-task) would say so forever: after STALE they are marked failed. Nothing is
    run again from here: what such a task had still to send is queued again above, from
    the people's own state, so nothing is sent twice."""
    lost = DBTaskResult.objects.running().filter(started_at__lte=now - STALE)
    return lost.update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="survey.writes.schedule.LostTask",
        traceback=f"still running {STALE} after it started: its worker stopped; "
        "reclaimed by send_due_emails",
    )


def reminder_marks(*, invited_at: datetime, closes_at: datetime | None) -> list[datetime]:
    """When a person who has not answered is due an automatic reminder."""
    marks = [invited_at + AFTER_INVITATION]
    if closes_at is not None:
        marks.append(closes_at - BEFORE_CLOSE)
    return marks


def is_due(respondent: Respondent, now: datetime) -> bool:
    assert respondent.invitation_status_at is not None
    passed = [
        mark
        for mark in reminder_marks(
            invited_at=respondent.invitation_status_at, closes_at=respondent.round.closes_at
        )
        if mark <= now
    ]
    last = respondent.last_reminded_at
    return bool(passed) and (last is None or last < max(passed))


def due_reminders(now: datetime) -> list[int]:
    """The people due an automatic reminder, and those whose last reminder failed (after a
    pause that doubles each time, up to MAX_FAILURES in a row)."""
    candidates = (
        not_queued(unanswered(now), now)
        .filter(reminder_failures__lt=MAX_FAILURES)
        .select_related("round")
    )
    invited = candidates.filter(
        round__auto_reminders=True,
        invitation_status=EmailStatus.SENT,
        invitation_status_at__lte=now - REMINDER_INTERVAL,
    )
    due = [r.pk for r in invited.filter(reminder_failures=0) if is_due(r, now)]
    for r in candidates.filter(reminder_failures__gt=0):
        if r.reminder_queued_at is None or r.reminder_queued_at <= now - retry_delay(
            r.reminder_failures
        ):
            due.append(r.pk)
    return due


def send_due_reminders(*, now: datetime, base_url: str) -> int:
    if not settings.AUTO_REMINDERS:
        return 0
    ids = due_reminders(now)
    queue_reminders(ids, base_url)
    return len(ids)


@dataclass(frozen=True, kw_only=True)
class ReminderPlan:
    """What a round's page says about automatic reminders. Computed from every invitation,
    answered or not, so it tells nobody who has answered."""

    on: bool
    available: bool  # AUTO_REMINDERS: the site sends them at all
    after_invitation_days: int
    before_close_days: int
    next_after_invitation: datetime | None
    before_close: datetime | None


def reminder_plan(survey_round: Round) -> ReminderPlan:
    now = timezone.now()
    first_due = (
        survey_round.respondents.exclude(email="")
        .filter(
            invitation_status=EmailStatus.SENT,
            invitation_status_at__gt=now - AFTER_INVITATION,
        )
        .aggregate(first=Min("invitation_status_at"))["first"]
    )
    before_close = None
    if survey_round.closes_at is not None:
        before_close = survey_round.closes_at - BEFORE_CLOSE
        if before_close <= now:
            before_close = None
    return ReminderPlan(
        on=survey_round.auto_reminders and survey_round.is_open,
        available=settings.AUTO_REMINDERS,
        after_invitation_days=AFTER_INVITATION.days,
        before_close_days=BEFORE_CLOSE.days,
        next_after_invitation=first_due + AFTER_INVITATION if first_due else None,
        before_close=before_close,
    )
