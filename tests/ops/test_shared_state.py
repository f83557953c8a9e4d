"""Limits live in a cache every process shares, and the client is the proxy's client."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import RequestFactory

from survey.plumbing.throttle import client_address

ROOT = Path(__file__).resolve().parents[2]

COUNT = """
import django, sys
django.setup()
from django.conf import settings
from survey.plumbing.throttle import LOGIN_FAILURES
for _ in range(int(sys.argv[1])):
    LOGIN_FAILURES.hit("lan@acme.test|203.0.113.7")
print(settings.CACHES["default"]["BACKEND"], LOGIN_FAILURES.exceeded("lan@acme.test|203.0.113.7"))
"""


def run(env: dict[str, str], *args: str) -> str:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment |= {"DJANGO_SETTINGS_MODULE": "survey.settings"} | env
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_without_redis_the_cache_is_the_database_never_process_memory():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_two_processes_share_the_database_cache_that_migrate_creates(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    run(env, "manage.py", "migrate", "--no-input", "-v", "0")
    # Six failures in one process and five in another: the limit of ten holds across both.
    assert run(env, "-c", COUNT, "6").endswith("DatabaseCache False")
    assert run(env, "-c", COUNT, "5").endswith("DatabaseCache True")


def test_with_redis_url_two_processes_share_redis_and_need_no_database(redis_url, tmp_path):
    # No migrate at all: the database is an empty file, so only Redis can hold the counts.
    env = {"REDIS_URL": redis_url, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    assert run(env, "-c", COUNT, "9").endswith("RedisCache False")
    assert run(env, "-c", COUNT, "1").endswith("RedisCache True")


def request_from(peer: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_facing_clients_directly_a_forwarded_header_is_ignored(settings):
    settings.NUM_PROXIES = 0
    assert client_address(request_from("198.51.100.9", "1.2.3.4")) == "198.51.100.9"


def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended(settings):
    settings.NUM_PROXIES = 1
    assert client_address(request_from("172.18.0.5", "198.51.100.9")) == "198.51.100.9"
    # A client that sends its own X-Forwarded-For cannot choose the address it is counted as.
    spoofed = request_from("172.18.0.5", "1.2.3.4, 5.6.7.8, 198.51.100.9")
    assert client_address(spoofed) == "198.51.100.9"
    # Reached without the proxy (no header): the peer itself.
    assert client_address(request_from("198.51.100.20")) == "198.51.100.20"


def test_behind_two_proxies_the_second_entry_from_the_right(settings):
    settings.NUM_PROXIES = 2
    request = request_from("10.0.0.2", "1.2.3.4, 198.51.100.9, 10.0.0.1")
    assert client_address(request) == "198.51.100.9"


def test_the_forwarded_scheme_is_trusted_only_behind_a_proxy():
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    assert run({"NUM_PROXIES": "1"}, "-c", code) == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert run({"NUM_PROXIES": "0"}, "-c", code) == "None"


def test_limits_key_on_the_real_client_behind_the_proxy(client, db, settings):
    """Twenty unknown survey links from one client must not lock out the next one."""
    settings.NUM_PROXIES = 1
    bad = "/s/" + "x" * 32 + "/"
    for _ in range(20):
        client.get(bad, REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="198.51.100.9")
    guesser = client.get(bad, REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="198.51.100.9")
    other = client.get(bad, REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert guesser.status_code == 429
    assert other.status_code == 404
