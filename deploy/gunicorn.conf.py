"""gunicorn for production: `gunicorn -c deploy/gunicorn.conf.py survey.wsgi`.

Sync workers are safe because nginx faces the clients: it reads whole requests and buffers
whole responses, so a slow client never holds a worker. The access log never holds a
working token: survey, shared-link, invitation, sign-up and password-reset links are
redacted from the request line, the path, the query and the Referer.
"""

import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 30
graceful_timeout = 30
# A worker is replaced after this many requests (with jitter), bounding slow leaks.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The client is the address nginx saw (the last X-Forwarded-For entry); %(h)s is nginx.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

TOKEN = r"[A-Za-z0-9_-]{32}"
REDACTIONS = [
    # /s/<token>/ and /s/join/<token>/: personal and shared survey links.
    (re.compile(rf"(/s/(?:join/)?){TOKEN}"), r"\1[token]"),
    # /invitations/<token>/: a manager invitation.
    (re.compile(rf"(/invitations/){TOKEN}"), r"\1[token]"),
    # /password-reset/<uidb64>/<token>/ (but not /password-reset/sent/ or /done/).
    (re.compile(r"(/password-reset/)(?!sent/|done/)[^/\s?]+/[^/\s?]+"), r"\1[token]"),
    # /signup/finish/<signed email>/
    (re.compile(r"(/signup/finish/)[^/\s?]+"), r"\1[token]"),
]


def redact(text: str) -> str:
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingLogger(Logger):
    """gunicorn's logger, with every token-bearing part of a request redacted."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "f", "{referer}i"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms


logger_class = RedactingLogger
