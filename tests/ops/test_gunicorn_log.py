"""A real, short gunicorn run with deploy/gunicorn.conf.py: its access log holds no token."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, **headers: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10):
            return 200
    except urllib.error.HTTPError as error:
        return error.code


def test_the_access_log_of_a_real_gunicorn_run_holds_no_token(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "0",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True
        )
    port = free_port()
    log = tmp_path / "access.log"
    errors = (tmp_path / "stderr.log").open("w")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--access-logfile", str(log), "survey.wsgi"],
        cwd=ROOT, env=env, stdout=errors, stderr=errors,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if fetch(base + "/health/") == 200:
                    break
            except OSError:
                time.sleep(0.1)
        tokens = [secrets.token_urlsafe(24) for _ in range(5)]
        assert all(len(token) == 32 for token in tokens)
        paths = [
            f"/s/{tokens[0]}/",
            f"/s/join/{tokens[1]}/?lang=vi",
            f"/invitations/{tokens[2]}/",
            f"/password-reset/MQ/{tokens[3]}/",
            f"/signup/finish/{tokens[4]}:1uAbCd:{tokens[4][:20]}/",
            "/password-reset/sent/",
        ]
        for path in paths:
            fetch(base + path, Referer=f"{base}/s/{tokens[0]}/thanks/")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        errors.close()
    # Django logs each 404 ("Not Found: <path>") to the same stream as gunicorn's errors.
    error_log = (tmp_path / "stderr.log").read_text()
    assert "Not Found: /s/[token]/" in error_log
    text = log.read_text() + error_log
    lines = text.splitlines()
    assert len(lines) >= len(paths), text
    assert '" 404 ' in text  # the pages rendered (collected static files, DEBUG off)
    for token in tokens:
        assert token not in text
        assert token[:20] not in text
    assert text.count("[token]") >= 2 * 5  # in the request line and in the Referer
    assert '"GET /s/join/[token]/?lang=vi HTTP/1.1"' in text
    assert "/password-reset/sent/" in text
