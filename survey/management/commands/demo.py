"""Load a demo company whose people have answered the assessment; safe to run again."""

import random
import secrets
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from scoring.models import PlannedAction, PublishedResult
from scoring.results.published import published
from scoring.results.services import record_decision
from survey.core.statements import STATEMENTS
from survey.models import (
    Company,
    Department,
    Membership,
    Respondent,
    Role,
    Round,
    SurveyLink,
    Via,
)
from survey.writes.services import close_round, new_link, submit_answers

MANAGER_USERNAME = "manager@demo.example"
CURRENT_TITLE = "Spring 2026"
OPEN_TITLE = "Autumn 2026"
PREVIOUS_TITLE = "Autumn 2025"
CURRENT_OPENED = datetime(2026, 3, 2, 9, tzinfo=UTC)
# The previous round scored lower: every mean rating this much lower than now.
PREVIOUS_SHIFT = -0.5

# Mean rating per statement (1..20) in each department: the two sides agree on some
# statements and see others quite differently, as the source says real companies do.
PROFILES = {
    Department.SALES: [3.9, 2.4, 2.2, 2.0, 2.3, 3.9, 2.8, 2.7, 2.6, 2.4,
                       2.3, 2.7, 2.4, 2.3, 2.1, 2.8, 2.0, 1.8, 2.2, 2.4],
    Department.MARKETING: [2.9, 2.6, 3.3, 3.4, 3.8, 2.1, 2.7, 3.0, 3.1, 2.6,
                           2.6, 2.3, 3.2, 2.5, 3.1, 2.6, 2.1, 1.9, 2.6, 2.7],
}  # fmt: skip

# (department, role, how many answered, how many have not answered yet)
PEOPLE = [
    (Department.SALES, Role.LEADER, 1, 0),
    (Department.SALES, Role.STAFF, 10, 2),
    (Department.MARKETING, Role.LEADER, 1, 0),
    (Department.MARKETING, Role.STAFF, 5, 2),
]


def demo_ratings(
    rng: random.Random, department: str, role: str, shift: float = 0.0
) -> dict[int, int]:
    optimism = 0.4 if role == Role.LEADER else 0.0
    return {
        n: min(5, max(1, round(rng.gauss(mean + optimism + shift, 0.8))))
        for n, mean in zip(STATEMENTS, PROFILES[department], strict=True)
    }


class Command(BaseCommand):
    help = (
        "Create (or refresh) the demo company and its manager login: two closed rounds with "
        "published results and an open round with response rates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    @transaction.atomic
    def handle(self, *args, base_url: str, **options):
        company, _ = Company.objects.get_or_create(
            slug="demo", defaults={"name": "Demo Trading Co.", "anonymity_threshold": 5}
        )
        password = secrets.token_urlsafe(9)
        manager, _ = get_user_model().objects.get_or_create(
            username=MANAGER_USERNAME, defaults={"email": MANAGER_USERNAME}
        )
        manager.set_password(password)
        manager.save()
        Membership.objects.get_or_create(
            user=manager, company=company, defaults={"role": Membership.Role.OWNER}
        )
        self.previous_round(company, manager)
        closed = self.closed_round(
            company, CURRENT_TITLE, CURRENT_OPENED, random.Random(2026), manager
        )
        survey_round = self.open_round(company, manager)
        links = self.unanswered_links(survey_round, base_url)

        dashboard = base_url + reverse("scoring:dashboard", kwargs={"round_id": closed.pk})
        manage = base_url + reverse("workspace:round", kwargs={"round_id": survey_round.pk})
        self.stdout.write(f"Dashboard: {dashboard}")
        self.stdout.write(f"Open round (responses, invitations, reminders): {manage}")
        self.stdout.write(f"Log in as {MANAGER_USERNAME} with password {password}")
        self.stdout.write("Survey links of the open round, not answered yet:")
        for line in links:
            self.stdout.write(f"  {line}")

    def closed_round(
        self,
        company: Company,
        title: str,
        opened: datetime,
        rng: random.Random,
        manager,
        shift: float = 0.0,
    ) -> Round:
        """A round answered by its people, closed three weeks after it opened."""
        survey_round, created = Round.objects.get_or_create(
            company=company, title=title, defaults={"opened_at": opened}
        )
        if created:
            self.add_people(survey_round, rng, shift=shift, everyone=True)
            close_round(survey_round=survey_round, actor=manager)
            closed = opened + timedelta(days=21)
            # Demo dates: as if it had closed then.
            Round.objects.filter(pk=survey_round.pk).update(closed_at=closed)
            PublishedResult.objects.filter(round=survey_round).update(published_at=closed)
            survey_round.refresh_from_db()
        return survey_round

    def previous_round(self, company: Company, manager) -> Round:
        """Autumn 2025, scored lower, with a decision and a plan."""
        opened = datetime(2025, 10, 6, 9, tzinfo=UTC)
        existed = Round.objects.filter(company=company, title=PREVIOUS_TITLE).exists()
        survey_round = self.closed_round(
            company, PREVIOUS_TITLE, opened, random.Random(2025), manager, shift=PREVIOUS_SHIFT
        )
        if not existed:
            result = published(survey_round)
            assert result is not None
            current = result.score.combined_type
            if current is not None:
                ticked = ["duplicated_despite_roles", "customised_during_sale", "short_life_cycles"]
                record_decision(round=survey_round, current=current, ticked=ticked, user=manager)
            self.add_plan(company, survey_round, due=opened.date() + timedelta(days=120))
        return survey_round

    def open_round(self, company: Company, manager) -> Round:
        """Open now, closing in three weeks: leaders see response rates, no scores."""
        survey_round, created = Round.objects.get_or_create(
            company=company,
            title=OPEN_TITLE,
            defaults={
                "opened_at": timezone.now() - timedelta(days=7),
                "closes_at": timezone.now() + timedelta(days=21),
            },
        )
        if created:
            self.add_people(survey_round, random.Random(2027))
            # Answered over the past week: leaders see answers counted up to last midnight.
            survey_round.respondents.filter(submitted_at__isnull=False).update(
                submitted_at=timezone.now() - timedelta(days=2)
            )
        elif survey_round.closed_at is None and (
            survey_round.closes_at is None
            or survey_round.closes_at < timezone.now() + timedelta(days=7)
        ):
            Round.objects.filter(pk=survey_round.pk).update(
                closes_at=timezone.now() + timedelta(days=21)
            )
        return survey_round

    def add_plan(self, company: Company, round: Round, due) -> None:
        PlannedAction.objects.create(
            company=company,
            round=round,
            playbook_key="disciplined_communication",
            owner="Lan Nguyen",
            due_date=due - timedelta(days=60),
            status=PlannedAction.Status.DONE,
            notes="Monthly joint pipeline review, first Tuesday of the month.",
        )
        PlannedAction.objects.create(
            company=company,
            round=round,
            playbook_key="sales_feedback",
            owner="Minh Tran",
            due_date=due,
            status=PlannedAction.Status.IN_PROGRESS,
            notes="A five-question form after every lost deal above 500 million VND.",
        )

    def add_people(
        self, round: Round, rng: random.Random, shift: float = 0.0, everyone: bool = False
    ) -> None:
        for department, role, answered, waiting in PEOPLE:
            for index in range(answered + (0 if everyone else waiting)):
                respondent = Respondent.objects.create(
                    round=round,
                    department=department,
                    role=role,
                    name=f"{Department(department).label} {Role(role).label} {index + 1}",
                    language="vi" if index % 2 else "en",
                    claimed_via=Via.EMAIL,  # through the links emailed to them
                )
                if everyone or index < answered:
                    ratings = demo_ratings(rng, department, role, shift)
                    submit_answers(respondent=respondent, ratings=ratings)

    def unanswered_links(self, survey_round: Round, base_url: str) -> list[str]:
        """Only hashes are stored, so printing a link means making a new one; earlier ones
        keep working."""
        lines = []
        unanswered = survey_round.respondents.filter(submitted_at__isnull=True).order_by("pk")
        for respondent in unanswered:
            link, token = new_link(respondent, SurveyLink.Kind.SCREEN)
            link.save()
            url = base_url + reverse("survey:open", kwargs={"token": token})
            lines.append(f"{url}  ({respondent.name}, {respondent.get_language_display()})")
        return lines
