"""Fixed-window counters in Django's cache: how many times someone did something lately."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
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


LOGIN_FAILURES = Limit("login", max_hits=10, seconds=15 * 60)
TOKEN_GUESSES = Limit("token", max_hits=20, seconds=10 * 60)
SHARED_LINK_JOINS = Limit("join", max_hits=10, seconds=60 * 60)
FRESH_LINKS = Limit("fresh", max_hits=3, seconds=60 * 60)


def client_address(request: HttpRequest) -> str:
    """The peer's address. Behind a reverse proxy this is the proxy's, so every visitor would
    share one counter: set REMOTE_ADDR from the proxy's trusted header first."""
    return request.META.get("REMOTE_ADDR", "")
