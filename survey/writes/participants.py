"""Changes to the people of a round after they were added: resend an invitation, correct a
mistyped address, remove someone added by mistake.

None of them looks at, or behaves differently with, whether a person answered. A removed
respondent is never deleted nor moved to another address (that would let a leader send
someone's survey to their own mailbox): its links stop, and any answers it holds stay and
count when the round closes. A corrected address is a new respondent, invited afresh.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from survey.models import AuditEvent, Respondent
from survey.writes.services import deliver_invitations, record


class NotInvitable(Exception):
    """The round is closed, or this person was removed from it."""


class AlreadyInvited(Exception):
    """Someone in the round already has the new address."""


def _locked(respondent: Respondent) -> Respondent:
    """The respondent row, locked: a submission under way finishes first, later ones find
    the respondent removed (survey.writes.services.submit_answers)."""
    locked = Respondent.objects.select_for_update().select_related("round__company")
    return locked.get(pk=respondent.pk)


@transaction.atomic
def resend_invitation(
    *, respondent: Respondent, actor: AbstractBaseUser, base_url: str
) -> Respondent:
    """E-mail the person a new invitation with a new link; the earlier links keep working."""
    locked = _locked(respondent)
    if locked.removed_at is not None or not locked.round.is_open:
        raise NotInvitable
    deliver_invitations(respondents=[locked], base_url=base_url)
    record(
        company=locked.round.company,
        action=AuditEvent.Action.RESENT,
        actor=actor,
        survey_round=locked.round,
        detail=locked.email,
    )
    return locked


@transaction.atomic
def remove_respondent(*, respondent: Respondent, actor: AbstractBaseUser) -> Respondent:
    """Stop the person's links; whatever they answered stays and counts at the close."""
    locked = _locked(respondent)
    if locked.removed_at is None:
        _remove(locked)
        record(
            company=locked.round.company,
            action=AuditEvent.Action.REMOVED,
            actor=actor,
            survey_round=locked.round,
            detail=locked.email,
        )
    return locked


@transaction.atomic
def correct_email(
    *, respondent: Respondent, email: str, actor: AbstractBaseUser, base_url: str
) -> Respondent:
    """Remove the respondent at the mistyped address and invite a new one, with the same
    name, department, role and language, at `email`. The new respondent starts empty."""
    locked = _locked(respondent)
    survey_round = locked.round
    if locked.removed_at is not None or not survey_round.is_open:
        raise NotInvitable
    email = email.strip().lower()
    if survey_round.respondents.filter(email=email, removed_at__isnull=True).exists():
        raise AlreadyInvited
    _remove(locked)
    try:
        with transaction.atomic():  # someone may have added the address a moment ago
            new = Respondent.objects.create(
                round=survey_round,
                email=email,
                name=locked.name,
                department=locked.department,
                role=locked.role,
                language=locked.language,
            )
    except IntegrityError:
        raise AlreadyInvited from None
    deliver_invitations(respondents=[new], base_url=base_url)
    record(
        company=survey_round.company,
        action=AuditEvent.Action.EMAIL_CORRECTED,
        actor=actor,
        survey_round=survey_round,
        detail=f"{locked.email} → {email}",
    )
    return new


def _remove(respondent: Respondent) -> None:
    respondent.removed_at = timezone.now()
    respondent.save(update_fields=["removed_at"])
