"""A person's request for what the product holds about their e-mail address: the answer
goes to that address only (never on screen: the page reads the same whether or not the
address is known), from the background worker.

It lists the invitations (company, round, dates, whether the round's published figures
include them) and any leader account, never their answers: once a round is published its
answers are aggregates that no longer name anyone. An address whose rounds were erased is
unknown: nothing is held."""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django_tasks import task

from survey.models import Respondent
from survey.writes.emails import render_message

logger = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class Invitation:
    company: str
    round: str
    opened_at: datetime
    closed_at: datetime | None
    as_head: bool
    removed: bool
    # "included": their answers are in the round's published figures (a removed person's
    # answers count too); "not": they did not answer; "open": nothing is published yet.
    published: str


def invitations_of(email: str) -> list[Invitation]:
    rows = (
        Respondent.objects.filter(email__iexact=email)
        .select_related("round__company")
        .order_by("round__opened_at")
    )
    return [
        Invitation(
            company=r.round.company.name,
            round=r.round.title,
            opened_at=r.round.opened_at,
            closed_at=r.round.closed_at,
            as_head=r.role == "leader",
            removed=r.removed_at is not None,
            published=(
                "open"
                if r.round.closed_at is None
                else ("included" if r.submitted_at is not None else "not")
            ),
        )
        for r in rows
    ]


def companies_led_by(email: str) -> list[str]:
    users = get_user_model().objects.filter(email__iexact=email)
    return sorted({m.company.name for u in users for m in u.memberships.select_related("company")})


def report_message(email: str, language: str):
    context = {
        "email": email,
        "invitations": invitations_of(email),
        "companies": companies_led_by(email),
        "has_account": get_user_model().objects.filter(email__iexact=email).exists(),
        "language": language,
    }
    message = render_message("data_report", context, email, language, "")
    message.from_email = settings.DEFAULT_FROM_EMAIL  # the product answers, no company
    return message


@task()
def send_data_report(*, email: str, language: str, attempt: int = 1) -> bool:
    """Retried like every e-mail (survey.writes.tasks.retry_later) when the server refuses."""
    from survey.writes.tasks import retry_later, send_each

    sent, _ = send_each([(email, report_message(email, language))])
    if not sent:
        retry_later(send_data_report, attempt, email=email, language=language)
    return bool(sent)


def request_report(*, email: str, language: str) -> None:
    """Queue the report once the request's transaction commits (the task's argument is the
    address the person typed, kept in the task queue until the worker has sent it)."""
    transaction.on_commit(
        lambda: send_data_report.enqueue(email=email.strip().lower(), language=language)
    )
