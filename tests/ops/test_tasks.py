"""Background tasks: run in the request by default (make run, tests), queued in the
database for the worker service when TASKS_BACKEND=database."""

from django.conf import settings
from django.core.management import call_command
from django_tasks import TaskResultStatus, task_backends

from tests.ops.tasks_for_tests import DONE, note


def test_by_default_tasks_run_at_once_without_a_worker():
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
    DONE.clear()
    result = note.enqueue("now")
    assert result.status == TaskResultStatus.SUCCESSFUL and DONE == ["now"]


def test_the_database_backend_queues_until_the_worker_runs(settings, transactional_db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
    DONE.clear()
    result = note.enqueue("later")
    assert result.status == TaskResultStatus.READY and DONE == []
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL and DONE == ["later"]
    assert result.return_value == "LATER"
