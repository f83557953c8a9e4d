"""gunicorn for production: `gunicorn -c deploy/gunicorn.conf.py survey.wsgi`.

Sync workers are safe because nginx faces the clients: it reads whole requests and buffers
whole responses, so a slow client never holds a worker. The access log never holds a
working token: survey, shared-link, invitation, sign-up and password-reset links are
redacted from the request line, the path, the query and the Referer, and from gunicorn's
error log (Django's own log lines are redacted by survey.plumbing.logs, see LOGGING in settings).
"""

import os

from gunicorn.glogging import Logger

from survey.plumbing.logs import redact

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 30
graceful_timeout = 30
# A worker is replaced after this many requests, bounding slow leaks. The jitter is half of
# it, so each worker's limit is drawn from 2,000-3,000: workers that share the load evenly
# (as sync workers on one socket do) retire far apart, not within seconds of each other as
# they did with 2,000-2,200 (each then took 4-8 s to boot on a busy machine, leaving the
# instance a worker short, or two).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 2
# The app is imported once, in the master, and each worker is a fork of it: a replaced
# worker answers within milliseconds instead of importing Django and the app again (the
# 4-8 s), and the workers share the master's memory pages. Django opens no database or
# Redis connection at import, so none is shared across the fork. A code change needs a
# restart of the container (a HUP does not re-import), which is how deployments run.
preload_app = True
accesslog = "-"
errorlog = "-"
# The client is the address nginx saw (the last X-Forwarded-For entry); %(h)s is nginx.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'


class RedactingLogger(Logger):
    """gunicorn's logger, with every token-bearing part of a request redacted."""

    def log(self, lvl, msg, *args, **kwargs):
        super().log(lvl, redact(str(msg) % args if args else str(msg)), **kwargs)

    def critical(self, msg, *args, **kwargs):
        super().critical(redact(str(msg) % args if args else str(msg)), **kwargs)

    def error(self, msg, *args, **kwargs):
        # e.g. "Error handling request /s/<token>/"
        super().error(redact(str(msg) % args if args else str(msg)), **kwargs)

    def warning(self, msg, *args, **kwargs):
        super().warning(redact(str(msg) % args if args else str(msg)), **kwargs)

    def info(self, msg, *args, **kwargs):
        super().info(redact(str(msg) % args if args else str(msg)), **kwargs)

    def exception(self, msg, *args, **kwargs):
        super().exception(redact(str(msg) % args if args else str(msg)), **kwargs)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "f", "{referer}i"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms


logger_class = RedactingLogger
