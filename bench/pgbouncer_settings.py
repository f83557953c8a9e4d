"""The project's settings for the app behind PgBouncer in transaction mode (SCALE_OUT=1 in
bench/production.sh): a server connection serves one transaction, then another client, so
a named (server-side) cursor, which lives on its connection across transactions, cannot
be used. Everything else the app does is per transaction: no session SETs, no advisory
locks, no LISTEN, and psycopg's client-side binding (Django's default) prepares nothing.

survey/settings.py has no switch for this yet (see "Running on Kubernetes" in the README).
"""

from survey.settings import *  # noqa: F403
from survey.settings import DATABASES

DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
