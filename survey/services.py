import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from survey.csv_import import Person
from survey.emails import manager_invitation_message, send_after_commit, survey_message
from survey.models import (
    Answer,
    Company,
    CompanyInvitation,
    Membership,
    Respondent,
    Round,
    SharedLink,
)
from survey.statements import STATEMENTS

REMINDER_INTERVAL = timedelta(hours=24)


class RoundClosed(Exception):
    """The round closed before the answers arrived."""


@transaction.atomic
def submit_answers(*, respondent: Respondent, ratings: Mapping[int, int]) -> Respondent:
    """Store a complete answer set for one respondent, replacing any earlier one.

    The respondent row is locked first, so two posts of the same link at the same moment
    run one after the other; the upsert on (respondent, statement) means the second simply
    overwrites the first and there is never a second answer set.
    """
    if set(ratings) != set(STATEMENTS):
        raise ValueError("a submission needs a rating for every statement")
    locked = (
        Respondent.objects.select_for_update(of=("self",))
        .select_related("round")
        .get(pk=respondent.pk)
    )
    if not locked.round.is_open:
        raise RoundClosed
    Answer.objects.bulk_create(
        [Answer(respondent=locked, statement=n, rating=r) for n, r in ratings.items()],
        update_conflicts=True,
        unique_fields=["respondent", "statement"],
        update_fields=["rating"],
    )
    now = timezone.now()
    locked.submitted_at = locked.submitted_at or now
    locked.updated_at = now
    locked.save(update_fields=["submitted_at", "updated_at"])
    return locked


@dataclass(frozen=True)
class Added:
    """New respondents with their link tokens (shown once, never stored), and how many of
    the given people were already in the round."""

    invitations: list[tuple[Respondent, str]]
    already_invited: int


def company_slug(name: str) -> str:
    base = slugify(name)[:40].strip("-") or "company"
    if not Company.objects.filter(slug=base).exists():
        return base
    return f"{base}-{secrets.token_hex(3)}"


@transaction.atomic
def create_company(*, owner: AbstractBaseUser, name: str, anonymity_threshold: int) -> Company:
    company = Company.objects.create(
        name=name, slug=company_slug(name), anonymity_threshold=anonymity_threshold
    )
    Membership.objects.create(user=owner, company=company, role=Membership.Role.OWNER)
    return company


@transaction.atomic
def create_round(
    *, company: Company, title: str, anonymity_threshold: int, heads: Sequence[Person]
) -> tuple[Round, Added]:
    """Open a round; the heads answer as leaders of their departments."""
    round = Round.objects.create(
        company=company, title=title, anonymity_threshold=anonymity_threshold
    )
    return round, add_respondents(round=round, people=heads)


@transaction.atomic
def add_respondents(*, round: Round, people: Sequence[Person]) -> Added:
    """Add people by e-mail; an address already in the round is the same respondent."""
    emails = {person.email for person in people}
    existing = set(round.respondents.filter(email__in=emails).values_list("email", flat=True))
    invitations = []
    for person in people:
        if person.email in existing:
            continue
        respondent = Respondent(
            round=round,
            email=person.email,
            name=person.name,
            department=person.department,
            role=person.role,
            language=person.language,
        )
        invitations.append((respondent, respondent.issue_token()))
        existing.add(person.email)
    Respondent.objects.bulk_create([respondent for respondent, _ in invitations])
    return Added(invitations, already_invited=len(people) - len(invitations))


def send_invitations(*, invitations: Sequence[tuple[Respondent, str]], base_url: str) -> int:
    messages = [
        survey_message(respondent=respondent, token=token, base_url=base_url)
        for respondent, token in invitations
        if respondent.email
    ]
    send_after_commit(messages)
    return len(messages)


@transaction.atomic
def reissue_link(*, respondent: Respondent) -> str:
    """A fresh personal link; the old one stops working at once."""
    token = respondent.issue_token()
    respondent.save(update_fields=["token_hash"])
    return token


@transaction.atomic
def send_reminders(*, base_url: str, round: Round | None = None) -> int:
    """Remind, by e-mail, everyone in an open round who has not answered, at most once in
    REMINDER_INTERVAL. Only hashes of links are stored, so a reminder carries a fresh link."""
    now = timezone.now()
    due = (
        Respondent.objects.select_for_update(of=("self",))
        .select_related("round__company")
        .filter(submitted_at__isnull=True, round__closed_at__isnull=True)
        .exclude(email="")
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - REMINDER_INTERVAL))
    )
    if round is not None:
        due = due.filter(round=round)
    messages = []
    respondents = list(due)
    for respondent in respondents:
        token = respondent.issue_token()
        respondent.last_reminded_at = now
        messages.append(
            survey_message(respondent=respondent, token=token, base_url=base_url, reminder=True)
        )
    Respondent.objects.bulk_update(respondents, ["token_hash", "last_reminded_at"])
    send_after_commit(messages)
    return len(messages)


@transaction.atomic
def join_shared_link(*, link: SharedLink, language: str) -> tuple[Respondent, str]:
    respondent = Respondent(
        round=link.round, department=link.department, role=link.role, language=language
    )
    token = respondent.issue_token()
    respondent.save()
    return respondent, token


def close_round(*, round: Round) -> None:
    Round.objects.filter(pk=round.pk, closed_at__isnull=True).update(closed_at=timezone.now())


def reopen_round(*, round: Round) -> None:
    Round.objects.filter(pk=round.pk).update(closed_at=None)


@transaction.atomic
def invite_manager(
    *, company: Company, email: str, invited_by: AbstractBaseUser, base_url: str, language: str
) -> CompanyInvitation:
    invitation = CompanyInvitation(company=company, email=email.lower(), invited_by=invited_by)
    token = invitation.issue_token()
    invitation.save()
    inviter = invited_by.get_username()
    message = manager_invitation_message(
        invitation=invitation, token=token, base_url=base_url, inviter=inviter, language=language
    )
    send_after_commit([message])
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: CompanyInvitation, user: AbstractBaseUser) -> Membership:
    """The invited person becomes a manager (an owner who follows it stays an owner)."""
    membership, _ = Membership.objects.get_or_create(
        user=user, company=invitation.company, defaults={"role": Membership.Role.MANAGER}
    )
    CompanyInvitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    return membership
