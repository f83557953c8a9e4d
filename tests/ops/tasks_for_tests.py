"""A task for tests/ops/test_tasks.py (tasks must be importable module-level functions)."""

from django_tasks import task

DONE: list[str] = []


@task()
def note(word: str) -> str:
    DONE.append(word)
    return word.upper()
