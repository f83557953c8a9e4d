"""Fixed-window counters in Django's cache: how many times someone did something lately.

The cache is shared by every process (Redis, or the database cache; survey/settings.py),
so a limit holds across gunicorn workers, app containers and restarts. Redis counts
atomically; the database cache reads and writes, so two requests at the same instant may
count once: a limit can let a handful more through under a burst, never fewer.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True, kw_only=True)
class Limit:
    scope: str
    max_hits: int
    seconds: int

    def key(self, who: str) -> str:
        # Hashed so that any e-mail address or IP address makes a valid cache key.
        return f"throttle:{self.scope}:{hashlib.sha256(who.encode()).hexdigest()}"

    def exceeded(self, who: str) -> bool:
        return cache.get(self.key(who), 0) >= self.max_hits

    def hit(self, who: str) -> int:
        """Count one more; the window starts at the first hit and lasts `seconds`."""
        key = self.key(who)
        cache.add(key, 0, timeout=self.seconds)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.seconds)
            return 1

    def reset(self, who: str) -> None:
        cache.delete(self.key(who))


# Wrong passwords per (account, address): a stranger elsewhere cannot lock the owner out.
LOGIN_FAILURES = Limit(scope="login", max_hits=10, seconds=15 * 60)
# Wrong passwords per address, whatever the accounts: no address tries many accounts.
LOGIN_ADDRESS_FAILURES = Limit(scope="login-address", max_hits=50, seconds=15 * 60)
# Password-reset requests per address, and links mailed per email (beyond: silently none).
PASSWORD_RESETS = Limit(scope="reset", max_hits=10, seconds=60 * 60)
PASSWORD_RESET_EMAILS = Limit(scope="reset-email", max_hits=3, seconds=60 * 60)
# Sign-up requests per address, and sign-up emails per email address.
SIGNUPS = Limit(scope="signup", max_hits=10, seconds=60 * 60)
SIGNUP_EMAILS = Limit(scope="signup-email", max_hits=3, seconds=60 * 60)
TOKEN_GUESSES = Limit(scope="token", max_hits=20, seconds=10 * 60)
SHARED_LINK_JOINS = Limit(scope="join", max_hits=10, seconds=60 * 60)
FRESH_LINKS = Limit(scope="fresh", max_hits=3, seconds=60 * 60)
# "Check now" on a company's domains, per company: DNS is asked at most this often.
DOMAIN_CHECKS = Limit(scope="domain-check", max_hits=30, seconds=60 * 60)


def client_address(request: HttpRequest) -> str:
    """The visitor's address, which every per-address limit keys on.

    With NUM_PROXIES = 0 the app faces clients and the socket's peer is the client; any
    X-Forwarded-For is the client's own words and ignored. Behind N proxies each appends the
    address it received the request from, so the N-th entry from the right was written by
    our outermost proxy: the real client. Entries further left are the client's own and
    never trusted, so no one can pick an address to dodge a limit or lock someone else out.
    """
    proxies = settings.NUM_PROXIES
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
