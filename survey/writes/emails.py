"""The e-mails we send, each in its reader's language, as HTML and plain text.

Only messages are built here; survey/writes/tasks.py sends them from the background worker.
"""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from survey.models import CompanyInvitation, Respondent, Role, Round


def survey_url(base_url: str, token: str) -> str:
    return base_url + reverse("survey:open", kwargs={"token": token})


def invitation_url(base_url: str, token: str) -> str:
    return base_url + reverse("workspace:join_company", kwargs={"token": token})


def sender(company: str) -> str:
    """`"Acme (via Alignment survey)" <address>`: the company the reader knows asks, through
    the product's own address (DEFAULT_FROM_EMAIL, whose display name names the product)."""
    product, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = _("%(company)s (via %(product)s)") % {
        "company": " ".join(company.split()),
        "product": product or settings.EMAIL_PRODUCT_NAME,
    }
    return formataddr((name, address))


def render_message(
    template: str, context: dict, to: str, language: str, company: str
) -> EmailMultiAlternatives:
    """emails/<template>_subject.txt, .txt and .html rendered in `language`, sent in the
    name of `company`."""
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
        from_email = sender(company)
    # A header may not contain a line break, whatever a company calls itself.
    message = EmailMultiAlternatives(" ".join(subject.split()), text, from_email, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def heads_of(survey_round: Round) -> list[Respondent]:
    """Who is asking: the round's heads of department (sales first)."""
    return list(survey_round.respondents.filter(role=Role.LEADER).order_by("-department", "pk"))


def round_context(survey_round: Round, heads: list[Respondent] | None = None) -> dict:
    return {
        "company": survey_round.company.name,
        "heads": heads if heads is not None else heads_of(survey_round),
        "closes_at": survey_round.closes_at,
    }


def survey_message(
    *,
    respondent: Respondent,
    token: str,
    base_url: str,
    reminder: bool = False,
    heads: list[Respondent] | None = None,
) -> EmailMultiAlternatives:
    """An invitation or reminder; `heads` (heads_of) saves a query per message in a batch."""
    survey_round = respondent.round
    context = round_context(survey_round, heads) | {
        "respondent": respondent,
        "link": survey_url(base_url, token),
        "reminder": reminder,
    }
    return render_message(
        "survey", context, respondent.email, respondent.language, survey_round.company.name
    )


def fresh_link_message(
    *, respondent: Respondent, token: str, base_url: str
) -> EmailMultiAlternatives:
    survey_round = respondent.round
    context = round_context(survey_round) | {
        "respondent": respondent,
        "link": survey_url(base_url, token),
    }
    return render_message(
        "fresh_link", context, respondent.email, respondent.language, survey_round.company.name
    )


def manager_invitation_message(
    *, invitation: CompanyInvitation, token: str, base_url: str, inviter: str, language: str
) -> EmailMultiAlternatives:
    context = {
        "company": invitation.company.name,
        "inviter": inviter,
        "link": invitation_url(base_url, token),
        "language": language,
        "viewer": invitation.role == "viewer",
    }
    return render_message(
        "manager_invitation", context, invitation.email, language, invitation.company.name
    )
