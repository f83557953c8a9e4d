"""Results played back to everyone invited: the heads' message, and the e-mail at the close.

When a round closes (survey.writes.services.close_round) `announce_on_commit` marks
everyone invited by e-mail as due the results e-mail (`results_status` queued) and queues
`send_results` in batches once the close is committed. The task gives each person a new
personal link and mails it: a link to a closed round opens the company's published
results (survey.staff.playback_views), never a survey. The links are made inside the task,
so no working token is ever stored with the queued task's arguments (django_tasks_db
keeps them). Each e-mail is recorded as sent the moment the mail server took it; a failed
one is queued again by `manage.py send_due_emails` after 5, 10, 20, 40 minutes, and one
whose task was lost after 30 (survey/writes/schedule.py), as invitations are.

Everyone with an address gets the same e-mail, answered or not, heads and staff alike: who
gets it, and what it says, must not tell anyone who answered.
"""

import logging
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from survey.models import EmailStatus, Respondent, Round, SurveyLink
from survey.playback_models import MAX_MESSAGE_LENGTH, ResultsMessage
from survey.writes.emails import Askers, heads_of, heads_reply_to, render_message, survey_url
from survey.writes.tasks import claim, enqueue_on_commit, new_link, send_each

logger = logging.getLogger(__name__)


def message_of(survey_round: Round) -> str:
    """The heads' message for the round, or "" when they left none."""
    row = ResultsMessage.objects.filter(round=survey_round).first()
    return row.text if row else ""


def keep_message(*, survey_round: Round, text: str, user: AbstractBaseUser) -> None:
    """Keep (or, when blank, drop) the heads' message. Only before the results go out: once
    the round is closed the e-mails have said what they said. ValueError when too long or
    the round is closed."""
    if survey_round.closed_at is not None:
        raise ValueError("the results of a closed round are already announced")
    text = text.strip()
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ValueError(f"a message of {len(text)} characters")
    if not text:
        ResultsMessage.objects.filter(round=survey_round).delete()
        return
    ResultsMessage.objects.update_or_create(
        round=survey_round, defaults={"text": text, "written_by": user}
    )


def announce_on_commit(survey_round: Round) -> None:
    """Queue the results e-mail once the close is committed (and only if it is)."""
    people = survey_round.respondents.filter(removed_at=None).exclude(email="")
    queue_results(list(people.values_list("pk", flat=True)))


def queue_results(ids: Sequence[int]) -> None:
    now = timezone.now()
    Respondent.objects.filter(pk__in=ids).update(
        results_status=EmailStatus.QUEUED, results_status_at=now
    )
    enqueue_on_commit(send_results, ids, queued_at=now.isoformat())


def results_message(
    *,
    respondent: Respondent,
    token: str,
    heads_message: str,
    base_url: str,
    heads: list[Respondent] | None = None,
) -> EmailMultiAlternatives:
    """The results are published; the round's heads speak (by name, and replies go to them)."""
    heads = heads if heads is not None else heads_of(respondent.round)
    company = respondent.round.company.name
    context = {
        "language": respondent.language,
        "company": company,
        "round_title": respondent.round.title,
        "heads_message": heads_message,
        "askers": Askers(heads, company),
        "link": survey_url(base_url, token),
    }
    return render_message(
        "results_published",
        context,
        respondent.email,
        respondent.language,
        company=company,
        reply_to=heads_reply_to(heads),
    )


@task()
def send_results(*, ids: list[int], queued_at: str) -> dict[str, int]:
    """The results e-mails queued at `queued_at` that are still waiting, in one batch."""
    rows = Respondent.objects.filter(
        pk__in=ids,
        results_status=EmailStatus.QUEUED,
        results_status_at=datetime.fromisoformat(queued_at),
        round__closed_at__isnull=False,
        removed_at__isnull=True,
    ).exclude(email="")
    people = claim(rows, results_status_at=timezone.now())
    messages_of: dict[int, str] = {}
    heads: dict[int, list[Respondent]] = {}
    links, messages = [], []
    for respondent in people:
        survey_round = respondent.round
        if survey_round.pk not in messages_of:
            messages_of[survey_round.pk] = message_of(survey_round)
            heads[survey_round.pk] = heads_of(survey_round)
        link, token = new_link(respondent, SurveyLink.Kind.EMAIL)
        links.append(link)
        message = results_message(
            respondent=respondent,
            token=token,
            heads_message=messages_of[survey_round.pk],
            base_url=settings.SITE_URL,
            heads=heads[survey_round.pk],
        )
        messages.append((respondent.pk, message))
    SurveyLink.objects.bulk_create(links)

    def record(pk: int) -> None:
        Respondent.objects.filter(pk=pk).update(
            results_status=EmailStatus.SENT, results_status_at=timezone.now(), results_failures=0
        )

    sent, failed = send_each(messages, record)
    Respondent.objects.filter(pk__in=failed).update(
        results_status=EmailStatus.FAILED,
        results_status_at=timezone.now(),
        results_failures=F("results_failures") + 1,
    )
    logger.info("results e-mails: %d sent, %d failed", len(sent), len(failed))
    return {"sent": len(sent), "failed": len(failed)}


@task()
def announce_results(*, round_id: int) -> int:
    """What closing a round queued before the results e-mail was sent in batches: queues
    those batches now (kept so that such a task, still waiting, is not lost)."""
    survey_round = Round.objects.get(pk=round_id)
    people = survey_round.respondents.filter(removed_at=None, results_status="").exclude(email="")
    ids = list(people.values_list("pk", flat=True))
    with transaction.atomic():
        queue_results(ids)
    return len(ids)
