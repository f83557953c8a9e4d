"""Erasing the personal data of a closed round: what stays is its published aggregates
(scoring.models.PublishedResult, comments already word for word in its voices) and the
anonymous counts the round's pages show (department, role, answered, removed).

What goes, for every person of the round: name, e-mail address, the key of their survey
address (replaced by a fresh random one), the device hash, their personal links, their
answers and comments (the rows; the published figures keep their aggregates), their guess
and flag, the e-mail statuses; and the addresses in the round's record."""

from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from survey.models import (
    Answer,
    AuditEvent,
    Comment,
    Respondent,
    Round,
    SurveyLink,
    new_key,
)
from survey.writes.services import record

# The choices of the Your data page: days after a round closes (None: keep).
RETENTION_CHOICES = (None, 90, 180, 365, 730)

# Record entries whose detail names people: "N: addresses" keeps its count, the rest goes.
COUNTED = {AuditEvent.Action.PEOPLE_ADDED, AuditEvent.Action.LINKS_SHOWN}
NAMING = {
    AuditEvent.Action.FRESH_LINK,
    AuditEvent.Action.RESENT,
    AuditEvent.Action.EMAIL_CORRECTED,
    AuditEvent.Action.REMOVED,
}


def set_retention(*, company, days: int | None, actor: AbstractBaseUser) -> None:
    if company.retention_days == days:
        return
    company.retention_days = days
    company.save(update_fields=["retention_days"])
    record(
        company=company,
        action=AuditEvent.Action.RETENTION_SET,
        actor=actor,
        survey_round=None,
        detail="keep" if days is None else f"{days} days",
    )


@transaction.atomic
def erase_round(*, survey_round: Round, actor: AbstractBaseUser | None = None) -> bool:
    """Erase the round's personal data (once; only a closed round). True if it did."""
    locked = Round.objects.select_for_update().select_related("company").get(pk=survey_round.pk)
    if locked.closed_at is None or locked.personal_data_erased_at is not None:
        return False
    SurveyLink.objects.filter(respondent__round=locked).delete()
    Comment.objects.filter(respondent__round=locked).delete()
    Answer.objects.filter(respondent__round=locked).delete()
    people = list(Respondent.objects.filter(round=locked).only("pk"))
    for person in people:
        person.key = new_key()
    Respondent.objects.bulk_update(people, ["key"], batch_size=500)
    Respondent.objects.filter(round=locked).update(
        name="",
        email="",
        device_hash="",
        guess="",
        flagged_roster=False,
        updated_at=None,
        last_reminded_at=None,
        invitation_status="",
        invitation_status_at=None,
        invitation_failures=0,
        reminder_failures=0,
        reminder_queued_at=None,
        results_status="",
        results_status_at=None,
        results_failures=0,
    )
    events = AuditEvent.objects.filter(round=locked)
    for event in events.filter(action__in=COUNTED):
        event.detail = event.detail.split(":", 1)[0]
        event.save(update_fields=["detail"])
    events.filter(action__in=NAMING).update(detail="")
    locked.personal_data_erased_at = timezone.now()
    locked.save(update_fields=["personal_data_erased_at"])
    survey_round.personal_data_erased_at = locked.personal_data_erased_at
    record(
        company=locked.company,
        action=AuditEvent.Action.DATA_ERASED,
        actor=actor,
        survey_round=locked,
        detail=f"{len(people)} people",
    )
    return True


def rounds_due(now: datetime) -> list[Round]:
    """Closed rounds whose company keeps personal data for fewer days than have passed."""
    candidates = Round.objects.filter(
        closed_at__isnull=False,
        personal_data_erased_at__isnull=True,
        company__retention_days__isnull=False,
    )
    return [
        r
        for r in candidates.annotate(days=F("company__retention_days"))
        if r.closed_at + timedelta(days=r.days) <= now
    ]


def erase_due_rounds(*, now: datetime) -> int:
    return sum(erase_round(survey_round=r) for r in rounds_due(now))
