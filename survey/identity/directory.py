"""The company's directory, fed by its identity provider over SCIM (survey.identity.scim):
its tokens, where a directory person stands in the assessment, and what provisioning does
to the company's open rounds.

The directory decides nothing about anonymity. A directory person is invited by e-mail like
a pasted one, and counts toward k exactly when survey.identity.anchor says so: emailed, and
at a verified domain. Whoever holds the token can send any address; an address outside the
company's verified domains is hand-delivered, as if a leader had pasted it.
"""

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from survey.core.csv_import import DEPARTMENTS, ROLES, Person
from survey.identity.models import DirectoryPerson, DirectoryRound, ScimToken
from survey.models import (
    AuditEvent,
    Company,
    Department,
    Respondent,
    Role,
    Round,
    hash_token,
    new_token,
)
from survey.writes.participants import remove_respondent
from survey.writes.services import Added, add_respondents, record

# Group names that place their members, folded to lower case (either language).
DEPARTMENT_GROUPS = DEPARTMENTS
HEAD_GROUPS = {"heads", "head", "leaders", "heads of department", "trưởng bộ phận", "trưởng phòng"}


# Tokens ------------------------------------------------------------------------------------


@transaction.atomic
def create_token(*, company: Company, label: str, actor: AbstractBaseUser) -> tuple[ScimToken, str]:
    """A new token; the value is returned once and only its hash is kept."""
    value = new_token() + new_token()  # 384 bits: it is typed into a provider once, never by hand
    token = ScimToken.objects.create(
        company=company, token_hash=hash_token(value), label=label, created_by=actor
    )
    record(
        company=company,
        action=AuditEvent.Action.SCIM_TOKEN_CREATED,
        actor=actor,
        survey_round=None,
        detail=label,
    )
    return token, value


@transaction.atomic
def revoke_token(*, token: ScimToken, actor: AbstractBaseUser) -> None:
    locked = ScimToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        record(
            company=locked.company,
            action=AuditEvent.Action.SCIM_TOKEN_REVOKED,
            actor=actor,
            survey_round=None,
            detail=locked.label,
        )


def token_in_use(value: str, address: str) -> ScimToken | None:
    """The live token with this value, its use noted (a new address goes on the record)."""
    token = (
        ScimToken.objects.select_related("company")
        .filter(token_hash=hash_token(value), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if address not in token.used_from:
        with transaction.atomic():
            locked = ScimToken.objects.select_for_update().get(pk=token.pk)
            if address not in locked.used_from:
                locked.used_from = [*locked.used_from, address][-50:]
                locked.last_used_at = now
                locked.save(update_fields=["used_from", "last_used_at"])
                record(
                    company=token.company,
                    action=AuditEvent.Action.SCIM_TOKEN_USED,
                    actor=None,
                    survey_round=None,
                    detail=f"{locked.label}: {address}".lstrip(": "),
                )
            token = locked
    elif token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# Where a person stands ----------------------------------------------------------------------


def placement(person: DirectoryPerson) -> tuple[str | None, str]:
    """(department or None, role): the user's own attributes first (the enterprise
    extension's `department`, our extension's `role`), then the groups it is a member of
    ("Sales" / "Marketing", "Heads"). No department: not invited to any round."""
    groups = [g.display_name.strip().lower() for g in person.directory_groups.all()]
    department = DEPARTMENTS.get(person.department_attribute.strip().lower())
    if department is None:
        department = next((DEPARTMENT_GROUPS[g] for g in groups if g in DEPARTMENT_GROUPS), None)
    role = ROLES.get(person.role_attribute.strip().lower()) if person.role_attribute else None
    if role is None:
        role = Role.LEADER if any(g in HEAD_GROUPS for g in groups) else Role.STAFF
    return department, role


def address_of(person: DirectoryPerson) -> str:
    return (person.email or (person.user_name if "@" in person.user_name else "")).strip().lower()


def language_of(person: DirectoryPerson) -> str:
    """ "vi", "vi-VN", "vi_VN" -> "vi"; anything else the site's default."""
    code = person.language.replace("_", "-").split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def name_of(person: DirectoryPerson) -> str:
    given_family = f"{person.given_name} {person.family_name}".strip()
    return (person.display_name or given_family)[:200]


def as_person(person: DirectoryPerson) -> Person | None:
    """The person to invite, or None (inactive, no address, no department)."""
    department, role = placement(person)
    email = address_of(person)
    if not person.active or not email or department not in Department.values:
        return None
    return Person(
        email=email,
        name=name_of(person),
        department=department,
        role=role,
        language=language_of(person),
    )


def invitable(company: Company) -> list[Person]:
    people = company.directory_people.filter(active=True).prefetch_related("directory_groups")
    found = (as_person(p) for p in people)
    return [p for p in found if p is not None]


# Rounds --------------------------------------------------------------------------------------


def directory_rounds(company: Company) -> list[Round]:
    """The company's open rounds that invited the directory."""
    rounds = Round.objects.filter(company=company, closed_at__isnull=True, directory__isnull=False)
    return [r for r in rounds.select_related("company") if r.is_open]


@transaction.atomic
def invite_directory(*, survey_round: Round, actor: AbstractBaseUser, base_url: str) -> Added:
    """Invite everyone in the directory by e-mail, and keep inviting joiners until the close."""
    DirectoryRound.objects.get_or_create(round=survey_round, defaults={"invited_by": actor})
    people = invitable(survey_round.company)
    record(
        company=survey_round.company,
        action=AuditEvent.Action.DIRECTORY_INVITED,
        actor=actor,
        survey_round=survey_round,
        detail=str(len(people)),
    )
    return add_respondents(
        survey_round=survey_round,
        people=people,
        actor=actor,
        base_url=base_url,
        email=True,
        show=False,
    )


def follow(
    person: DirectoryPerson,
    *,
    base_url: str,
    deleted: bool = False,
    former_addresses: Iterable[str] = (),
) -> None:
    """After a person was provisioned, changed or deprovisioned: invite them by e-mail to
    the open rounds that invited the directory, or remove them from those rounds (their
    answers stay and count at the close, survey.writes.participants). A changed address is
    removed at the old one and invited afresh at the new one, like a corrected address."""
    invite = None if deleted else as_person(person)
    addresses = {a.strip().lower() for a in former_addresses} | {address_of(person)}
    gone = addresses - {"", invite.email if invite else ""}
    for survey_round in directory_rounds(person.company):
        _remove(survey_round, gone)
        if invite is not None:
            add_respondents(
                survey_round=survey_round,
                people=[invite],
                actor=None,
                base_url=base_url,
                email=True,
                show=False,
            )


def _remove(survey_round: Round, addresses: Sequence[str] | set[str]) -> None:
    if not addresses:
        return
    for respondent in Respondent.objects.filter(
        round=survey_round, email__in=list(addresses), removed_at__isnull=True
    ):
        remove_respondent(respondent=respondent, actor=None)  # type: ignore[arg-type]
