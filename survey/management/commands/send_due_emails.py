"""Close the rounds whose close date has passed (publishing their results and queueing the
e-mail that says so), mark failed the tasks a stopped worker left running, then queue
every e-mail that is due, and once a day erase what is due (the personal data of rounds past
their company's retention, companies past their grace period: survey.lifecycle.daily): retries of failed or lost invitations and results e-mails,
automatic reminders and their retries, and action owners' reminders. The docker-compose
`scheduler` service runs it in a loop (--every), which an error (a database restart) does
not end; elsewhere cron can run it every few minutes."""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections
from django.utils import timezone

from scoring.results.action_emails import send_due_owner_reminders
from survey.lifecycle.daily import run_daily
from survey.webhooks.delivery import queue_due as queue_due_webhooks
from survey.webhooks.outbox import announce_overdue_actions
from survey.writes.schedule import (
    close_due_rounds,
    reclaim_lost_tasks,
    retry_invitations,
    retry_results,
    send_due_reminders,
)

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Close the rounds past their close date (publishing and announcing their results), "
        "mark failed the tasks of stopped workers, then queue the e-mails that are due for "
        "the background worker: invitations and results e-mails to retry, automatic "
        "reminders, action owners' reminders, webhooks to retry and overdue actions' webhooks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default=settings.SITE_URL, help="where links point (SITE_URL)"
        )
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="run again every SECONDS until stopped (default: once)",
        )

    def handle(self, *args, base_url: str, every: int, **options):
        while True:
            try:
                self.run_once(base_url.rstrip("/"))
            except Exception:
                if not every:
                    raise
                # Looping (the compose scheduler): a database restart must not end it.
                logger.exception("send_due_emails failed; trying again in %d s", every)
                try:
                    connections.close_all()
                except DatabaseError:
                    pass  # broken already: the next run connects afresh
            if not every:
                return
            time.sleep(every)

    def run_once(self, base_url: str) -> None:
        now = timezone.now()
        closed = close_due_rounds(now=now)
        lost = reclaim_lost_tasks(now=now)
        retried = retry_invitations(now=now, base_url=base_url)
        results = retry_results(now=now)
        reminders = send_due_reminders(now=now, base_url=base_url)
        owners = send_due_owner_reminders(now=now, base_url=base_url)
        erased = run_daily(now=now)
        overdue = announce_overdue_actions(today=timezone.localdate(now))
        webhooks = queue_due_webhooks(now=now)
        self.stdout.write(
            f"{now:%Y-%m-%d %H:%M} closed {closed} rounds past their close date; "
            f"{lost} tasks of stopped workers marked failed; "
            f"queued: {retried} invitations to retry, {results} results e-mails to retry, "
            f"{reminders} reminders, {owners} action owner reminders, "
            f"{overdue} overdue actions' webhooks, {webhooks} webhook deliveries to retry"
        )
        if erased is not None:
            self.stdout.write(
                f"daily: personal data of {erased.rounds} rounds erased, "
                f"{erased.companies} companies deleted"
            )
