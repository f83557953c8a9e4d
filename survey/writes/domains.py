"""Every write to a company's domains: add, record a check (and verify), remove. Each goes
on the company's record in the same transaction."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from survey.identity.domains import Lookup, Outcome
from survey.models import AuditEvent, Company, CompanyDomain
from survey.writes.services import close_due, record


class OpenRoundUsesIt(Exception):
    """A verified domain cannot be removed while a round is open: its staff were told their
    anonymity rests on it, and the round is published against the domains of its close."""


class AlreadyInList(Exception):
    """The company added the same domain at the same moment in another request."""


@transaction.atomic
def add_domain(*, company: Company, domain: str, actor: AbstractBaseUser) -> CompanyDomain:
    """Add a normalised, claimable domain (survey.identity.domains.refusal said None)."""
    try:
        with transaction.atomic():
            added = CompanyDomain.objects.create(company=company, domain=domain)
    except IntegrityError as error:  # domain_once_per_company: a double submission
        raise AlreadyInList from error
    record(
        company=company,
        action=AuditEvent.Action.DOMAIN_ADDED,
        actor=actor,
        survey_round=None,
        detail=domain,
    )
    return added


@transaction.atomic
def record_check(
    *, company_domain: CompanyDomain, lookup: Lookup, actor: AbstractBaseUser
) -> Outcome:
    """Store when the domain was checked and, if DNS holds its value, verify it.

    The lookup is done before, outside any transaction (no row waits on the network).
    Two companies may both add a domain and both find their value in DNS; the constraint
    domain_verified_for_one_company lets only the first verify, the other learns TAKEN.
    A verified domain stays verified: later checks change nothing."""
    locked = CompanyDomain.objects.select_for_update().filter(pk=company_domain.pk).first()
    if locked is None:  # removed in another request while DNS was asked
        return lookup.outcome
    if locked.verified_at is not None:
        return Outcome.MATCH
    now = timezone.now()
    locked.checked_at = now
    locked.save(update_fields=["checked_at"])
    if lookup.outcome != Outcome.MATCH:
        return lookup.outcome
    try:
        with transaction.atomic():
            locked.verified_at = now
            locked.save(update_fields=["verified_at"])
    except IntegrityError:
        return Outcome.TAKEN
    company_domain.verified_at = now
    record(
        company=locked.company,
        action=AuditEvent.Action.DOMAIN_VERIFIED,
        actor=actor,
        survey_round=None,
        detail=locked.domain,
    )
    return Outcome.MATCH


def remove_domain(*, company_domain: CompanyDomain, actor: AbstractBaseUser) -> None:
    """Remove a domain. A verified one only while no round is open (rounds past their
    close date are closed first, against the domains they had)."""
    if company_domain.verified_at is not None:
        for survey_round in company_domain.company.rounds.filter(closed_at__isnull=True):
            close_due(survey_round)
    delete_domain(company_domain=company_domain, actor=actor)


@transaction.atomic
def delete_domain(*, company_domain: CompanyDomain, actor: AbstractBaseUser) -> None:
    company = Company.objects.select_for_update().get(pk=company_domain.company_id)
    locked = CompanyDomain.objects.filter(pk=company_domain.pk).first()
    if locked is None:
        return  # removed a moment ago in another request
    if locked.verified_at is not None and company.rounds.filter(closed_at__isnull=True).exists():
        raise OpenRoundUsesIt
    locked.delete()
    record(
        company=company,
        action=AuditEvent.Action.DOMAIN_REMOVED,
        actor=actor,
        survey_round=None,
        detail=locked.domain,
    )
