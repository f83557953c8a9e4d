"""The e-mails we send, each in its reader's language, as HTML and plain text.

Only messages are built here; survey/writes/tasks.py sends them from the background worker.
"""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
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


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def product_sender() -> str:
    """`"Sales & Marketing Alignment" <address>`: e-mails about the reader's own account
    (sign-up, password reset) come from the product itself."""
    product, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((one_line(product or settings.EMAIL_PRODUCT_NAME), address))


def render_message(
    template: str,
    context: dict,
    to: str,
    language: str,
    company: str,
    reply_to: list[str] | None = None,
) -> EmailMultiAlternatives:
    """emails/<template>_subject.txt, .txt and .html rendered in `language`, sent in the
    name of `company`; replies go to `reply_to` (the people who ask), if any."""
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
        from_email = sender(company)
    # A header may not contain a line break, whatever a company calls itself.
    message = EmailMultiAlternatives(
        one_line(subject), text, from_email, to=[to], reply_to=reply_to or None
    )
    message.attach_alternative(html, "text/html")
    return message


def heads_of(survey_round: Round) -> list[Respondent]:
    """Who is asking: the round's heads of department (sales first)."""
    return list(survey_round.respondents.filter(role=Role.LEADER).order_by("-department", "pk"))


def reply_addresses(people: list[tuple[str, str]]) -> list[str]:
    """`"Lan Nguyen" <lan@acme.test>` for each (name, address) with an address."""
    return [
        formataddr((one_line(name) if name != address else "", address))
        for name, address in people
        if address
    ]


def head_title(head: Respondent, company: str) -> str:
    """ "Lan Nguyen, Head of Sales at Acme" (in the active language)."""
    return _("%(name)s, Head of %(department)s at %(company)s") % {
        "name": one_line(head.name or head.email),
        "department": head.get_department_display(),
        "company": one_line(company),
    }


def askers(heads: list[Respondent], company: str) -> str:
    """Who asks, by name and title: "Lan Nguyen, Head of Sales at Acme, and Minh Tran, Head
    of Marketing at Acme" (rendered in the reader's language inside its template)."""
    titles = [head_title(head, company) for head in heads]
    if len(titles) < 2:
        return "".join(titles)
    return _("%(first)s, and %(second)s") % {
        "first": ", ".join(titles[:-1]),
        "second": titles[-1],
    }


class Askers:
    """Renders `askers()` lazily, so it is in the language the template is rendered in."""

    def __init__(self, heads: list[Respondent], company: str) -> None:
        self.heads, self.company = heads, company

    def __str__(self) -> str:
        return askers(self.heads, self.company)

    def __bool__(self) -> bool:
        return bool(self.heads)


def round_context(survey_round: Round, heads: list[Respondent] | None = None) -> dict:
    heads = heads if heads is not None else heads_of(survey_round)
    return {
        "company": survey_round.company.name,
        "heads": heads,
        "askers": Askers(heads, survey_round.company.name),
        "closes_at": survey_round.closes_at,
    }


def heads_reply_to(heads: list[Respondent]) -> list[str]:
    return reply_addresses([(head.name, head.email) for head in heads])


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
        "survey",
        context,
        respondent.email,
        respondent.language,
        survey_round.company.name,
        reply_to=heads_reply_to(context["heads"]),
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
        "fresh_link",
        context,
        respondent.email,
        respondent.language,
        survey_round.company.name,
        reply_to=heads_reply_to(context["heads"]),
    )


def leader_name(user: AbstractBaseUser | None) -> tuple[str, str]:
    """(name, address) of a leader; the address stands in for a name they never gave."""
    if user is None:
        return "", ""
    email = getattr(user, "email", "") or user.get_username()
    return one_line(user.get_full_name() or email), email  # type: ignore[attr-defined]


def manager_invitation_message(
    *,
    invitation: CompanyInvitation,
    token: str,
    base_url: str,
    inviter: AbstractBaseUser | None,
    language: str,
) -> EmailMultiAlternatives:
    name, email = leader_name(inviter)
    context = {
        "company": invitation.company.name,
        "inviter": name,
        "inviter_email": email if email != name else "",
        "link": invitation_url(base_url, token),
        "language": language,
        "viewer": invitation.role == "viewer",
    }
    return render_message(
        "manager_invitation",
        context,
        invitation.email,
        language,
        invitation.company.name,
        reply_to=reply_addresses([(name, email)]),
    )
