"""Results played back to everyone invited: the heads' message, and the e-mail at the close.

When a round closes (survey.writes.services.close_round) `announce_on_commit` queues
`announce_results` for after the commit. The task gives each person invited by e-mail a
new personal link and mails it: a link to a closed round opens the company's published
results (survey.staff.playback_views), never a survey. The links are made inside the task, so no
working token is ever stored with the queued task's arguments (django_tasks_db keeps them).

Everyone with an address gets the same e-mail, answered or not, heads and staff alike: who
gets it, and what it says, must not tell anyone who answered.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django_tasks import task

from survey.models import Respondent, Round, SurveyLink, hash_token, new_token
from survey.playback_models import MAX_MESSAGE_LENGTH, ResultsMessage
from survey.writes.emails import render_message, survey_url

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
    round_id = survey_round.pk
    transaction.on_commit(lambda: announce_results.enqueue(round_id=round_id))


def results_message(
    *, respondent: Respondent, token: str, heads_message: str, base_url: str
) -> EmailMultiAlternatives:
    context = {
        "language": respondent.language,
        "company": respondent.round.company.name,
        "round_title": respondent.round.title,
        "heads_message": heads_message,
        "link": survey_url(base_url, token),
    }
    return render_message(
        "results_published",
        context,
        respondent.email,
        respondent.language,
        company=respondent.round.company.name,
    )


@task()
def announce_results(*, round_id: int) -> int:
    """E-mail everyone invited by e-mail to the closed round a link to its results; how
    many were sent."""
    survey_round = Round.objects.select_related("company").get(pk=round_id)
    if survey_round.closed_at is None:
        raise ValueError(f"round {round_id} is not closed")
    heads_message = message_of(survey_round)
    people = list(
        survey_round.respondents.filter(removed_at=None)
        .exclude(email="")
        .select_related("round__company")
    )
    links, messages = [], []
    for respondent in people:
        token = new_token()
        links.append(
            SurveyLink(
                respondent=respondent, token_hash=hash_token(token), kind=SurveyLink.Kind.EMAIL
            )
        )
        messages.append(
            results_message(
                respondent=respondent,
                token=token,
                heads_message=heads_message,
                base_url=settings.SITE_URL,
            )
        )
    with transaction.atomic():
        SurveyLink.objects.bulk_create(links)
    if messages:
        get_connection().send_messages(messages)
    logger.info("results of round %s announced to %d people", round_id, len(messages))
    return len(messages)
