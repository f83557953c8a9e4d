"""`manage.py db_worker`: django-tasks-db's worker, which carries on when the database goes.

django-tasks-db's own worker raises out of its loop on any database error but a locked
SQLite file, so a PostgreSQL restart (an upgrade, a failover, a crash) stopped the worker
for good: without compose's restart policy no e-mail went out until someone noticed. This
one logs the error, drops its connections and tries again after a pause that doubles up to
MAX_PAUSE seconds, for as long as it takes. A task that was running when the database went
away is marked failed once the database answers again (what it had still to send is queued
again by `manage.py send_due_emails` from the people's own state). It replaces
django-tasks-db's command of the same name (survey comes first in INSTALLED_APPS), with the
same options.
"""

import logging
import os
import time

from django.core.management.base import CommandError
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("django_tasks_db")

FIRST_PAUSE = 0.5
MAX_PAUSE = 10.0
LOST = (OperationalError, InterfaceError)


class Worker(db_worker.Worker):
    interrupted: object = None  # the id of the task the database went away under

    def run(self) -> None:
        pause = FIRST_PAUSE
        while True:
            started = time.monotonic()
            try:
                self.fail_interrupted()
                super().run()
                return
            except LOST:
                if not self.running:  # asked to stop meanwhile
                    return
                if time.monotonic() - started > 2 * MAX_PAUSE:
                    pause = FIRST_PAUSE  # it had been working: a new outage
                logger.warning(
                    "the database went away; worker %s tries again in %.1f s",
                    self.worker_id,
                    pause,
                    exc_info=True,
                )
                self.running_task = False
                drop_connections()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)
                self.startup_delay = False

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except LOST:
            self.interrupted = db_task_result.pk
            raise

    def fail_interrupted(self) -> None:
        """The task the database went away under cannot say so itself: it is failed here,
        before the worker takes another, rather than left running until reclaimed."""
        if self.interrupted is None:
            return
        DBTaskResult.objects.filter(pk=self.interrupted, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path="django.db.utils.OperationalError",
            traceback="the database went away while the task ran",
        )
        self.interrupted = None


def drop_connections() -> None:
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DatabaseError:
            pass  # already broken: nothing to close


class Command(db_worker.Command):
    help = "Run the database background worker, reconnecting when the database goes away."

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
