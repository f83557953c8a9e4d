"""Who is in a round, as a leader may see it: one row per person invited by email, built
from the columns listed here only, so nothing about answering, reminders, links or devices
can reach the page. People who came in through a shared link have no row."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q

from survey.models import Department, EmailStatus, Role, Round

COLUMNS = (
    "pk",
    "name",
    "email",
    "department",
    "role",
    "language",
    "invitation_status",
    "invitation_status_at",
    "removed_at",
)


@dataclass(frozen=True)
class Participant:
    pk: int
    name: str
    email: str
    department: str
    role: str
    language: str
    invitation_status: str
    invitation_status_at: datetime | None
    removed_at: datetime | None

    @property
    def department_label(self) -> str:
        return str(Department(self.department).label)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)

    @property
    def language_label(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.language, self.language))

    @property
    def status_label(self) -> str:
        return str(EmailStatus(self.invitation_status).label) if self.invitation_status else ""


@dataclass(frozen=True)
class ParticipantList:
    people: list[Participant]
    removed: list[Participant]
    total: int  # everyone invited by email and still in the round, before the filter


def participant_list(
    *, survey_round: Round, department: str = "", text: str = ""
) -> ParticipantList:
    invited = survey_round.respondents.exclude(email="").order_by(
        "department", "role", "name", "email", "pk"
    )
    current = invited.filter(removed_at__isnull=True)
    shown = current
    if department:
        shown = shown.filter(department=department)
    if text:
        shown = shown.filter(Q(name__icontains=text) | Q(email__icontains=text))
    return ParticipantList(
        people=_rows(shown),
        removed=_rows(invited.filter(removed_at__isnull=False)),
        total=current.count(),
    )


def _rows(queryset) -> list[Participant]:
    return [Participant(**row) for row in queryset.values(*COLUMNS)]
