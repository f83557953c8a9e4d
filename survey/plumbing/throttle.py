"""Fixed-window counters in Django's cache: how many times someone did something lately.

The cache is shared by every process (Redis, or the database cache; survey/settings.py),
so a limit holds across gunicorn workers, app containers and restarts. Redis counts
atomically; the database cache reads and writes, so two requests at the same instant may
count once: a limit can let a handful more through under a burst, never fewer.

When Redis cannot be reached, each limit does what its page can afford (`fail_open`):
the survey pages' limits let the visitor through and log it (a person's own link, their
shared link or their fresh-link button must not break because a counter is missing; the
links are 192-bit secrets, so a few minutes without counting guesses finds none), while
the sign-in, sign-up and reset limits raise LimitsUnavailable, which the error handler
answers with the short 503 page and Retry-After (survey/plumbing/operations.py): without
the counters wrong passwords could be tried without end, and e-mails sent without limit.
After a failure a process leaves the cache alone for PAUSE_AFTER_FAILURE seconds, so a
Redis that is down or hanging costs no time per request. Only errors of the cache's own
connection count as unreachable: a database that is down is the database outage's page.

Every refusal notes how long until its window ends, and survey.middleware.retry_after puts
that in the Retry-After header of the 429.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

try:
    from redis.exceptions import RedisError
except ImportError:  # Redis is optional: without REDIS_URL nothing here needs it
    RedisError = OSError  # type: ignore[assignment,misc]

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Errors of the cache's own connection (redis-py raises its own, not the builtin ones).
UNREACHABLE = (RedisError, ConnectionError, TimeoutError)
PAUSE_AFTER_FAILURE = 5.0
_unreachable_until = 0.0  # per process: time.monotonic() before which the cache is skipped
# Seconds until the window of the limit that refused this request (survey.middleware).
_retry_after: ContextVar[int | None] = ContextVar("retry_after", default=None)


class LimitsUnavailable(Exception):
    """The shared cache cannot be reached, and this limit fails closed."""


def note_retry_after(seconds: int) -> None:
    _retry_after.set(max(seconds, _retry_after.get() or 0, 1))


def refused_for() -> int | None:
    """How long the limit that refused this request still runs, if one did."""
    return _retry_after.get()


def forget_refusals() -> None:
    _retry_after.set(None)


def cache_is_back() -> None:
    """Ask the cache again at once (tests; a process learns it by itself after the pause)."""
    global _unreachable_until
    _unreachable_until = 0.0


@dataclass(frozen=True, kw_only=True)
class Limit:
    scope: str
    max_hits: int
    seconds: int
    # With the cache unreachable: let everyone through (and log it), or refuse (503).
    fail_open: bool = False

    def key(self, who: str) -> str:
        # Hashed so that any e-mail address or IP address makes a valid cache key.
        return f"throttle:{self.scope}:{hashlib.sha256(who.encode()).hexdigest()}"

    def _cache(self, operation: Callable[[], T], fallback: T) -> T:
        """Run a cache operation; when the cache is unreachable, fall back or refuse."""
        global _unreachable_until
        if time.monotonic() >= _unreachable_until:
            try:
                return operation()
            except UNREACHABLE:
                _unreachable_until = time.monotonic() + PAUSE_AFTER_FAILURE
                logger.warning(
                    "the cache holding the limits is unreachable: for %.0f s survey limits "
                    "let visitors through and sign-in, sign-up and reset answer 503",
                    PAUSE_AFTER_FAILURE,
                    exc_info=True,
                )
        if self.fail_open:
            logger.debug("limit %s not applied: the cache is unreachable", self.scope)
            return fallback
        raise LimitsUnavailable(self.scope)

    def exceeded(self, who: str) -> bool:
        key = self.key(who)
        counts = self._cache(lambda: cache.get_many([key, f"{key}:until"]), {})
        if counts.get(key, 0) < self.max_hits:
            return False
        until = counts.get(f"{key}:until")
        note_retry_after(int(until - time.time()) if until else self.seconds)
        return True

    def hit(self, who: str) -> int:
        """Count one more; the window starts at the first hit and lasts `seconds`."""
        return self._cache(lambda: self._count(self.key(who)), 0)

    def _count(self, key: str) -> int:
        if cache.add(key, 0, timeout=self.seconds):
            # When this window ends, for Retry-After (the cache API gives no expiry).
            cache.set(f"{key}:until", time.time() + self.seconds, timeout=self.seconds)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.seconds)
            cache.set(f"{key}:until", time.time() + self.seconds, timeout=self.seconds)
            return 1

    def reset(self, who: str) -> None:
        key = self.key(who)
        self._cache(lambda: cache.delete_many([key, f"{key}:until"]), None)


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
# The survey pages' limits fail open (see above). Unknown links per address: a link that
# exists is never refused, so colleagues behind one office address who mistype links (or
# a guesser among them) cannot lock out anyone's own link (survey.staff.views).
TOKEN_GUESSES = Limit(scope="token", max_hits=20, seconds=10 * 60, fail_open=True)
# New surveys joined through shared links per address: a whole office may join from one
# address, and shared-link answers never count toward k (survey.identity.anchor), so the
# limit only slows a flood; each one is counted on the published results.
SHARED_LINK_JOINS = Limit(scope="join", max_hits=100, seconds=60 * 60, fail_open=True)
# Fresh links e-mailed per survey, and per address (each goes to the person's own address;
# an office may hold many people who changed devices).
FRESH_LINKS = Limit(scope="fresh", max_hits=3, seconds=60 * 60, fail_open=True)
FRESH_LINK_ADDRESSES = Limit(scope="fresh-address", max_hits=30, seconds=60 * 60, fail_open=True)
# Requests for what we hold about an address, per visitor's address, and reports mailed
# per e-mail address (beyond: silently none, so the page never says whether one was sent).
DATA_REQUESTS = Limit(scope="data-request", max_hits=10, seconds=60 * 60)
DATA_REPORTS = Limit(scope="data-report", max_hits=3, seconds=24 * 60 * 60)
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


# The read-only API (scoring/api/): requests per token a minute (API_REQUESTS_PER_MINUTE),
# and wrong tokens per address, which fail open like the survey links (a token is a
# 192-bit secret; a few unlimited minutes find none).
API_BAD_TOKENS = Limit(scope="api-bad-token", max_hits=20, seconds=10 * 60, fail_open=True)


def api_requests() -> Limit:
    return Limit(scope="api", max_hits=settings.API_REQUESTS_PER_MINUTE, seconds=60, fail_open=True)
