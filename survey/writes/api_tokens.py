"""Every write to a company's API tokens: create (the token returned once, only its hash
kept), note a use, revoke. Creation, the first use from an address and revocation go on
the company's record in the same transaction."""

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from survey.models import ApiToken, AuditEvent, Company, hash_token, new_token
from survey.writes.services import record

TOKEN_PREFIX = "sma_"  # tells a secret scanner (and a person) what the string is


@transaction.atomic
def create_token(
    *,
    company: Company,
    name: str,
    scopes: list[str],
    expires_at: datetime,
    actor: AbstractBaseUser | None,
) -> tuple[ApiToken, str]:
    """A new token for the company: the row, and the token itself (shown once, never stored)."""
    token = TOKEN_PREFIX + new_token()
    row = ApiToken.objects.create(
        company=company,
        name=name,
        token_hash=hash_token(token),
        prefix=token[: len(TOKEN_PREFIX) + 4],
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
        created_by=actor,
    )
    record(
        company=company,
        action=AuditEvent.Action.API_TOKEN_CREATED,
        actor=actor,  # type: ignore[arg-type]
        survey_round=None,
        detail=f"{name} ({', '.join(row.scopes)}; {row.prefix}…)",
    )
    return row, token


def note_use(*, token: ApiToken, address: str) -> None:
    """Stamp the last use; the first use from an address other than the last one goes on
    the record (an address, not every request: the record is for people to read)."""
    now = timezone.now()
    if token.last_used_from == (address or None):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(
            last_used_at=now, last_used_from=address or None
        )
        record(
            company=token.company,
            action=AuditEvent.Action.API_TOKEN_NEW_ADDRESS,
            actor=None,
            survey_round=None,
            detail=f"{token.name} ({token.prefix}…) from {address}",
        )


@transaction.atomic
def revoke_token(*, token: ApiToken, actor: AbstractBaseUser) -> None:
    """Refused from the next request on; kept in the list (with its last use) for the record."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        record(
            company=token.company,
            action=AuditEvent.Action.API_TOKEN_REVOKED,
            actor=actor,  # type: ignore[arg-type]
            survey_round=None,
            detail=f"{token.name} ({token.prefix}…)",
        )
