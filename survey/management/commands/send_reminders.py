"""Remind everyone who has not answered an open round; for a scheduler (cron, systemd)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from survey.writes.services import send_reminders
from survey.writes.tasks import REMINDER_INTERVAL


class Command(BaseCommand):
    help = (
        "Queue an e-mail with a fresh link to each invited person who has not answered an "
        "open round, "
        f"at most once every {REMINDER_INTERVAL.total_seconds() / 3600:.0f} hours."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default=settings.SITE_URL, help="where links point (SITE_URL)"
        )

    def handle(self, *args, base_url: str, **options):
        queued = send_reminders(base_url=base_url.rstrip("/"))
        self.stdout.write(f"Reminders queued: {queued}")
