"""Deleting a company: an owner asks (the confirmation names what goes), the company keeps
working through a grace period in which any owner can undo it, then the daily job erases
it: every row that references the company, its rounds or its people, the single sign-on
app with its secret, and the accounts of leaders who belong to no other company. The
record of the company goes with it (its entries reference the company); what remains is
one line in the application log: the company's number and the counts erased, no name."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.socialaccount.models import SocialApp
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from scoring.models import PlannedAction, PublishedResult
from survey.models import AuditEvent, Company, Membership, Respondent
from survey.writes.services import record

logger = logging.getLogger(__name__)
GRACE = timedelta(days=14)


@dataclass(frozen=True, kw_only=True)
class WhatGoes:
    """What deleting the company erases, counted for the confirmation."""

    rounds: int
    people: int  # everyone invited to a round by e-mail, heads included
    published: int
    actions: int
    members: int
    accounts: int  # of those members, the accounts that belong to no other company
    record: int


def lone_accounts(company: Company):
    """The members' accounts that belong to this company only (never staff of the site)."""
    elsewhere = Membership.objects.exclude(company=company).values("user_id")
    return (
        get_user_model()
        .objects.filter(memberships__company=company, is_staff=False, is_superuser=False)
        .exclude(pk__in=elsewhere)
    )


def what_goes(company: Company) -> WhatGoes:
    return WhatGoes(
        rounds=company.rounds.count(),
        # Invited people only: a shared link's respondent exists from pressing Start, so
        # counting them would tell the leaders when someone did (issue 15).
        people=Respondent.objects.filter(round__company=company).exclude(email="").count(),
        published=PublishedResult.objects.filter(round__company=company).count(),
        actions=PlannedAction.objects.filter(company=company).count(),
        members=company.memberships.count(),
        accounts=lone_accounts(company).count(),
        record=company.audit_events.count(),
    )


def due_at(company: Company) -> datetime | None:
    if company.deletion_requested_at is None:
        return None
    return company.deletion_requested_at + GRACE


@transaction.atomic
def ask(*, company: Company, actor: AbstractBaseUser) -> None:
    locked = Company.objects.select_for_update().get(pk=company.pk)
    if locked.deletion_requested_at is not None:
        return
    locked.deletion_requested_at = timezone.now()
    locked.deletion_requested_by = actor
    locked.save(update_fields=["deletion_requested_at", "deletion_requested_by"])
    record(
        company=locked,
        action=AuditEvent.Action.DELETION_ASKED,
        actor=actor,
        survey_round=None,
        detail=f"due {(locked.deletion_requested_at + GRACE):%Y-%m-%d %H:%M} UTC",
    )


@transaction.atomic
def undo(*, company: Company, actor: AbstractBaseUser) -> None:
    locked = Company.objects.select_for_update().get(pk=company.pk)
    if locked.deletion_requested_at is None:
        return
    locked.deletion_requested_at = None
    locked.deletion_requested_by = None
    locked.save(update_fields=["deletion_requested_at", "deletion_requested_by"])
    record(company=locked, action=AuditEvent.Action.DELETION_UNDONE, actor=actor, survey_round=None)


def end_sessions(user_ids: set[int]) -> None:
    """Database sessions of the erased accounts (a session row holds the user's id only
    inside its encoded data, so it has no foreign key that would cascade)."""
    if not user_ids:
        return
    for session in Session.objects.iterator():
        if str(session.get_decoded().get("_auth_user_id")) in {str(i) for i in user_ids}:
            session.delete()


@transaction.atomic
def erase(*, company: Company) -> WhatGoes:
    """Erase the company now (the daily job calls it once the grace period has passed)."""
    locked = Company.objects.select_for_update().get(pk=company.pk)
    counts = what_goes(locked)
    accounts = set(lone_accounts(locked).values_list("pk", flat=True))
    apps = list(SocialApp.objects.filter(company_sso__company=locked).values_list("pk", flat=True))
    locked.delete()  # cascades: rounds, people, answers, comments, links, plan, record…
    SocialApp.objects.filter(pk__in=apps).delete()
    get_user_model().objects.filter(pk__in=accounts).delete()
    end_sessions(accounts)
    logger.info("company %s erased: %s", company.pk, counts)
    return counts


def companies_due(now: datetime):
    return Company.objects.filter(deletion_requested_at__lte=now - GRACE)


def erase_due_companies(*, now: datetime) -> int:
    due = list(companies_due(now))
    for company in due:
        erase(company=company)
    return len(due)
