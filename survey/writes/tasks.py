"""Every e-mail goes out from the background worker (Django's tasks API).

The page that asks for e-mails only records who is due one and queues a task once its
transaction commits; the task makes the link (so no working token is ever stored with the
queued task, whose arguments sit in a table) and sends a batch over one SMTP connection.
What happened is recorded only after the server took the message, and for each message as
soon as it did: a failed send is never counted as sent, and a worker killed mid-batch
leaves the rest queued, which `manage.py send_due_emails` (survey/writes/schedule.py)
queues again once STALE has passed: a re-run sends only what was not sent.
"""

import logging
from collections.abc import Callable, Hashable, Sequence
from contextlib import nullcontext
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task

from survey.models import (
    CompanyInvitation,
    EmailStatus,
    Respondent,
    SurveyLink,
    hash_token,
    new_token,
)
from survey.writes.emails import (
    fresh_link_message,
    heads_of,
    manager_invitation_message,
    product_sender,
    survey_message,
)

logger = logging.getLogger(__name__)
K = TypeVar("K", bound=Hashable)  # what a message is recorded under (a row's id)

BATCH_SIZE = 100  # messages per task and SMTP connection
MAX_FAILURES = 5  # failed sends in a row before the worker gives up on an address
FIRST_RETRY = timedelta(minutes=5)  # doubles after each failure
REMINDER_INTERVAL = timedelta(hours=24)
# A task queued this long ago and still not done is taken for lost (a worker that died, or
# the worker stopped): what it was to send may be queued again; the copy sends nothing.
STALE = timedelta(minutes=30)


def retry_delay(failures: int) -> timedelta:
    return FIRST_RETRY * 2 ** max(failures - 1, 0)


def batches(ids: Sequence[int]) -> list[list[int]]:
    return [list(ids[i : i + BATCH_SIZE]) for i in range(0, len(ids), BATCH_SIZE)]


def enqueue_on_commit(job: Task, ids: Sequence[int], **kwargs) -> None:
    """One task per batch of ids, queued once the rows they point at are committed; into a
    queue in one transaction (one write however many batches), while a backend that runs
    tasks at once sends outside any transaction."""
    chunks = batches(ids)

    def enqueue() -> None:
        immediate = isinstance(job.get_backend(), ImmediateBackend)
        with nullcontext() if immediate else transaction.atomic():
            for chunk in chunks:
                job.enqueue(ids=chunk, **kwargs)

    if chunks:
        transaction.on_commit(enqueue)


def send_each(
    messages: Sequence[tuple[K, EmailMessage]], on_sent: Callable[[K], object] | None = None
) -> tuple[list[K], list[K]]:
    """Send over one connection; the keys of the messages the server took, and of the rest.
    `on_sent(key)` records each message the moment the server took it (its own autocommit
    write), so a worker killed halfway has recorded all it sent: only the few milliseconds
    between the server's answer and that write can ever send one message twice."""
    sent: list[K] = []
    failed: list[K] = []
    connection = get_connection()
    try:
        connection.open()
    except Exception:
        logger.exception("cannot reach the mail server for %d e-mails", len(messages))
        return sent, [key for key, _ in messages]
    try:
        for index, (key, message) in enumerate(messages):
            try:
                ok = connection.send_messages([message])
            except Exception:
                logger.exception("an e-mail failed")
                ok = 0
                # A refused address or a dropped connection: start afresh, or give up.
                if not reconnect(connection):
                    failed.extend(k for k, _ in messages[index:])
                    break
            (sent if ok else failed).append(key)
            if ok and on_sent is not None:
                on_sent(key)
    finally:
        connection.close()
    return sent, failed


def reconnect(connection) -> bool:
    try:
        connection.close()
        connection.open()
    except Exception:
        logger.exception("cannot reach the mail server again")
        return False
    return True


def claim(rows: QuerySet[Respondent], **changes) -> list[Respondent]:
    """Lock and mark the rows this task sends to, so a copy of it queued twice sends nothing."""
    with transaction.atomic():
        claimed = list(rows.select_for_update(of=("self",)).select_related("round__company"))
        Respondent.objects.filter(pk__in=[r.pk for r in claimed]).update(**changes)
    return claimed


def link_messages(
    respondents: Sequence[Respondent], base_url: str, reminder: bool
) -> list[tuple[int, EmailMessage]]:
    """A new link of its own for each (only its hash is stored) in an e-mail."""
    heads: dict[int, list[Respondent]] = {}
    links: list[SurveyLink] = []
    messages: list[tuple[int, EmailMessage]] = []
    for respondent in respondents:
        survey_round = respondent.round
        if survey_round.pk not in heads:
            heads[survey_round.pk] = heads_of(survey_round)
        link, token = new_link(respondent, SurveyLink.Kind.EMAIL)
        links.append(link)
        message = survey_message(
            respondent=respondent,
            token=token,
            base_url=base_url,
            reminder=reminder,
            heads=heads[survey_round.pk],
        )
        messages.append((respondent.pk, message))
    SurveyLink.objects.bulk_create(links)
    return messages


def new_link(respondent: Respondent, kind: str) -> tuple[SurveyLink, str]:
    """A link row (saved by the caller, e.g. in bulk) and its token, which is never stored."""
    token = new_token()
    return SurveyLink(respondent=respondent, token_hash=hash_token(token), kind=kind), token


@task()
def send_invitations(*, ids: list[int], queued_at: str, base_url: str) -> dict[str, int]:
    """The invitations queued at `queued_at` that are still waiting, in one batch."""
    now = timezone.now()
    rows = Respondent.objects.filter(
        pk__in=ids,
        invitation_status=EmailStatus.QUEUED,
        invitation_status_at=datetime.fromisoformat(queued_at),
        round__closed_at__isnull=True,
        removed_at__isnull=True,
    ).exclude(email="")
    respondents = [r for r in claim(rows, invitation_status_at=now) if r.round.is_open]

    def record(pk: int) -> None:
        Respondent.objects.filter(pk=pk).update(
            invitation_status=EmailStatus.SENT,
            invitation_status_at=timezone.now(),
            invitation_failures=0,
        )

    sent, failed = send_each(link_messages(respondents, base_url, reminder=False), record)
    now = timezone.now()
    Respondent.objects.filter(pk__in=failed).update(
        invitation_status=EmailStatus.FAILED,
        invitation_status_at=now,
        invitation_failures=F("invitation_failures") + 1,
    )
    return {"sent": len(sent), "failed": len(failed)}


def queue_invitations(ids: Sequence[int], base_url: str, **changes) -> None:
    """Mark the invitations queued (with `changes`) and send them from the worker once
    committed."""
    now = timezone.now()
    Respondent.objects.filter(pk__in=ids).update(
        invitation_status=EmailStatus.QUEUED, invitation_status_at=now, **changes
    )
    enqueue_on_commit(send_invitations, ids, queued_at=now.isoformat(), base_url=base_url)


def open_rounds(now: datetime) -> Q:
    return Q(round__closed_at__isnull=True) & (
        Q(round__closes_at__isnull=True) | Q(round__closes_at__gt=now)
    )


def unanswered(now: datetime) -> QuerySet[Respondent]:
    """People with an address in an open round who have not answered and were not reminded
    within REMINDER_INTERVAL."""
    return (
        Respondent.objects.filter(open_rounds(now), submitted_at__isnull=True, removed_at=None)
        .exclude(email="")
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - REMINDER_INTERVAL))
    )


def not_queued(respondents: QuerySet[Respondent], now: datetime) -> QuerySet[Respondent]:
    """Without a reminder queued within STALE."""
    return respondents.filter(
        Q(reminder_queued_at__isnull=True) | Q(reminder_queued_at__lte=now - STALE)
    )


@task()
def send_reminder_batch(*, ids: list[int], queued_at: str, base_url: str) -> dict[str, int]:
    """Reminders queued at `queued_at`; only a reminder actually sent counts as one."""
    now = timezone.now()
    rows = unanswered(now).filter(pk__in=ids, reminder_queued_at=datetime.fromisoformat(queued_at))
    respondents = claim(rows, reminder_queued_at=now)

    def record(pk: int) -> None:
        Respondent.objects.filter(pk=pk).update(
            last_reminded_at=timezone.now(), reminder_failures=0
        )

    sent, failed = send_each(link_messages(respondents, base_url, reminder=True), record)
    Respondent.objects.filter(pk__in=failed).update(reminder_failures=F("reminder_failures") + 1)
    return {"sent": len(sent), "failed": len(failed)}


def queue_reminders(ids: Sequence[int], base_url: str) -> None:
    now = timezone.now()
    Respondent.objects.filter(pk__in=ids).update(reminder_queued_at=now)
    enqueue_on_commit(send_reminder_batch, ids, queued_at=now.isoformat(), base_url=base_url)


def retry_later(job: Task, attempt: int, **kwargs) -> None:
    """Queue the task again after a pause, up to MAX_FAILURES times (a backend that cannot
    defer, like the immediate one used by `make run`, only logs the failure)."""
    if attempt >= MAX_FAILURES or not job.get_backend().supports_defer:
        logger.error("giving up on %s after %d attempts", job.name, attempt)
        return
    delay = retry_delay(attempt)
    job.using(run_after=timezone.now() + delay).enqueue(attempt=attempt + 1, **kwargs)


@task()
def send_fresh_link(*, respondent_id: int, base_url: str, attempt: int = 1) -> bool:
    respondent = (
        Respondent.objects.select_related("round__company").filter(pk=respondent_id).first()
    )
    if respondent is None or not respondent.email or respondent.removed_at:
        return False
    if not respondent.round.is_open:
        return False
    link, token = new_link(respondent, SurveyLink.Kind.FRESH)
    link.save()
    message = fresh_link_message(respondent=respondent, token=token, base_url=base_url)
    sent, _ = send_each([(respondent.pk, message)])
    if not sent:
        retry_later(send_fresh_link, attempt, respondent_id=respondent_id, base_url=base_url)
    return bool(sent)


@task()
def send_manager_invitation(
    *, invitation_id: int, base_url: str, language: str, attempt: int = 1
) -> bool:
    """A new token for the invitation (the one issued with it was never sent), e-mailed."""
    invitation = (
        CompanyInvitation.objects.select_related("company", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    token = invitation.issue_token()
    invitation.save(update_fields=["token_hash"])
    message = manager_invitation_message(
        invitation=invitation,
        token=token,
        base_url=base_url,
        inviter=invitation.invited_by,
        language=language,
    )
    sent, _ = send_each([(invitation.pk, message)])
    if not sent:
        retry_later(
            send_manager_invitation,
            attempt,
            invitation_id=invitation_id,
            base_url=base_url,
            language=language,
        )
    return bool(sent)


def reset_validity() -> dict[str, int]:
    """How long a password-reset link works (PASSWORD_RESET_TIMEOUT), for its e-mail."""
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    return {"valid_days": hours // 24 if hours % 24 == 0 else 0, "valid_hours": hours}


@task()
def send_password_reset(
    *, user_id: int, domain: str, protocol: str, language: str, attempt: int = 1
) -> bool:
    """The reset link is made here, so it never waits in the queue; it works from now for
    PASSWORD_RESET_TIMEOUT, until the password changes. Retried like every e-mail."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    context = reset_validity() | {
        "email": user.email,
        "domain": domain,
        "site_name": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": protocol,
    }
    with translation.override(language):
        subject = render_to_string("registration/password_reset_subject.txt", context)
        text = render_to_string("registration/password_reset_email.html", context)
        html = render_to_string("emails/password_reset.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()), text, product_sender(), to=[user.email]
    )
    message.attach_alternative(html, "text/html")
    sent, _ = send_each([(user.pk, message)])
    if not sent:
        retry_later(
            send_password_reset,
            attempt,
            user_id=user_id,
            domain=domain,
            protocol=protocol,
            language=language,
        )
    return bool(sent)
