"""The e-mails we send, each in its reader's language, as HTML and plain text."""

import logging
from collections.abc import Callable, Sequence

from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from survey.models import CompanyInvitation, Respondent

logger = logging.getLogger(__name__)


def survey_url(base_url: str, token: str) -> str:
    return base_url + reverse("survey:open", kwargs={"token": token})


def invitation_url(base_url: str, token: str) -> str:
    return base_url + reverse("workspace:join_company", kwargs={"token": token})


def render_message(template: str, context: dict, to: str, language: str) -> EmailMultiAlternatives:
    """emails/<template>_subject.txt, .txt and .html rendered in `language`."""
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    # A header may not contain a line break, whatever a company calls itself.
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def survey_message(
    *, respondent: Respondent, token: str, base_url: str, reminder: bool = False
) -> EmailMultiAlternatives:
    context = {
        "respondent": respondent,
        "company": respondent.round.company.name,
        "link": survey_url(base_url, token),
        "reminder": reminder,
    }
    return render_message("survey", context, respondent.email, respondent.language)


def fresh_link_message(
    *, respondent: Respondent, token: str, base_url: str
) -> EmailMultiAlternatives:
    context = {
        "respondent": respondent,
        "company": respondent.round.company.name,
        "link": survey_url(base_url, token),
        "closes_at": respondent.round.closes_at,
    }
    return render_message("fresh_link", context, respondent.email, respondent.language)


def manager_invitation_message(
    *, invitation: CompanyInvitation, token: str, base_url: str, inviter: str, language: str
) -> EmailMultiAlternatives:
    context = {
        "company": invitation.company.name,
        "inviter": inviter,
        "link": invitation_url(base_url, token),
    }
    return render_message("manager_invitation", context, invitation.email, language)


def send_after_commit(
    messages: Sequence[EmailMessage], then: Callable[[bool], None] | None = None
) -> None:
    """Send once the rows the links point at are committed; one SMTP connection for all.
    `then` learns whether the sending succeeded."""
    if not messages:
        return

    def send() -> None:
        try:
            get_connection().send_messages(list(messages))
        except Exception:  # the rows are saved; a leader can send again from the round page
            logger.exception("sending %d e-mails failed", len(messages))
            ok = False
        else:
            ok = True
        if then is not None:
            then(ok)

    transaction.on_commit(send)
