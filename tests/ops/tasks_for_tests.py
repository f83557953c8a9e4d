"""A task for tests/ops/test_tasks.py (tasks must be importable module-level functions)."""

from django_tasks import task

DONE: list[str] = []


@task()
def note(word: str) -> str:
    DONE.append(word)
    return word.upper()


@task()
def nap(seconds: float) -> float:
    """A task that takes a while, for a database to go away under (tests/ops)."""
    import time

    time.sleep(seconds)
    return seconds
