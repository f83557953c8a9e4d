"""Logs never hold a working link: tokens in paths are replaced by [token].

Used by Django's logging (e.g. "Not Found: /s/<token>/") and by gunicorn's access log
(deploy/gunicorn.conf.py), so neither `docker logs` nor a log shipper sees a token.
"""

import logging
import re

TOKEN = r"[A-Za-z0-9_-]{32}"
REDACTIONS = [
    # /s/<token>/ and /s/join/<token>/: personal and shared survey links.
    (re.compile(rf"(/s/(?:join/)?){TOKEN}"), r"\1[token]"),
    # /invitations/<token>/: a manager invitation.
    (re.compile(rf"(/invitations/){TOKEN}"), r"\1[token]"),
    # /password-reset/<uidb64>/<token>/ (but not /password-reset/sent/ or /done/).
    (re.compile(r"(/password-reset/)(?!sent/|done/)[^/\s?\"]+/[^/\s?\"]+"), r"\1[token]"),
    # /signup/finish/<signed email>/
    (re.compile(r"(/signup/finish/)[^/\s?\"]+"), r"\1[token]"),
]


def redact(text: str) -> str:
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactTokens(logging.Filter):
    """Rewrites each record's message with its tokens redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
