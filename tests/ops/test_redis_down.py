"""Redis killed under load: survey pages go on (their limits fail open, with a log line);
sign-in, sign-up and resets answer a short 503 with our page and Retry-After (a lock-out
matters there); when Redis is back the limits count again. Every 429 says Retry-After."""

import logging
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from survey.plumbing import throttle
from tests.factories import make_respondent, make_user, post_data, start_survey


@pytest.fixture
def limits_in_redis(settings, redis_server):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    throttle.cache_is_back()
    yield redis_server
    throttle.cache_is_back()


def unknown(index: int) -> str:
    return f"/s/{index:032d}/"


def wrong_password(client: Client):
    return client.post("/login/", {"username": "lan@acme.test", "password": "not-it"})


def test_redis_killed_under_load_survey_pages_go_on_and_sign_in_fails_closed(
    limits_in_redis, transactional_db, company, caplog
):
    make_user("lan@acme.test", company)
    survey_round = company.rounds.create(title="Spring")
    people = [make_respondent(survey_round)[1] for _ in range(6)]
    shared = survey_round.shared_links.create(department="sales", role="staff", is_active=True)

    # With Redis up the limits count: twenty unknown links, then a pause that says how long.
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    assert {guesser.get(unknown(i)).status_code for i in range(20)} == {404}
    paused = guesser.get(unknown(20))
    assert paused.status_code == 429 and 590 <= int(paused["Retry-After"]) <= 600

    # Load: visitors open their links and guessers try unknown ones, while Redis dies.
    own: list[tuple[bool, int]] = []  # (Redis down yet, status) for people's own links
    guesses: list[int] = []
    stop, down = threading.Event(), threading.Event()

    def visit(index: int) -> None:
        visitor = Client(REMOTE_ADDR=f"198.51.100.{20 + index}")
        try:
            while not stop.is_set():
                own.append((down.is_set(), visitor.get(f"/s/{people[index]}/").status_code))
                guesses.append(visitor.get(unknown(100 + index)).status_code)
        finally:
            connection.close()  # this thread's own, or the test database stays in use

    threads = [threading.Thread(target=visit, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    with caplog.at_level(logging.WARNING, logger="survey.plumbing.throttle"):
        limits_in_redis.kill()
        down.set()
        time.sleep(2)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert {code for _, code in own} == {302}  # never a 500
        assert len([1 for after, _ in own if after]) >= 3
        assert set(guesses) <= {404, 429}

        # Redis down. A person's own link, Start, and their answers: all as usual.
        browser = Client(REMOTE_ADDR="198.51.100.7", raise_request_exception=False)
        url = start_survey(browser, people[-1])
        assert browser.post(url, post_data(dict.fromkeys(range(1, 21), 4))).status_code == 302
        # A shared link still admits a new person; unknown links are 404, not counted.
        joiner = Client()
        joiner.get(f"/s/join/{shared.token}/")
        assert joiner.post("/s/join/").status_code == 302
        assert browser.get(unknown(21)).status_code == 404

        # Sign-in fails closed: our 503 page with Retry-After, never a bare 500.
        account = Client(raise_request_exception=False)
        assert account.get("/login/").status_code == 200
        refused = wrong_password(account)
        assert refused.status_code == 503 and refused["Retry-After"] == "30"
        assert "Signing in, signing up and password resets are paused" in refused.content.decode()
        assert "Content-Security-Policy" in refused
        signup = account.post("/signup/", {"email": "new@acme.test"})
        assert signup.status_code == 503 and signup["Retry-After"] == "30"
    assert "the cache holding the limits is unreachable" in caplog.text

    # Redis is back (empty): the limits count again once the pause is over.
    limits_in_redis.start()
    throttle.cache_is_back()
    assert wrong_password(account).status_code == 200  # the form's "wrong password" again
    assert {guesser.get(unknown(i)).status_code for i in range(30, 50)} == {404}
    assert guesser.get(unknown(50)).status_code == 429


def test_a_hanging_redis_holds_no_request_for_long(settings, db, round_):
    """A Redis that accepts connections and never answers (a partitioned network) costs a
    survey page at most the timeout once, then nothing for the pause."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/5",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    throttle.cache_is_back()
    try:
        client = Client()
        started = time.monotonic()
        assert client.get(unknown(1)).status_code == 404
        first = time.monotonic() - started
        started = time.monotonic()
        assert {client.get(unknown(i)).status_code for i in range(2, 12)} == {404}
        assert first < 3 and time.monotonic() - started < 1
    finally:
        throttle.cache_is_back()
        listener.close()
