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


def gunicorn_config(**env: str) -> dict:
    import runpy

    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        return runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_workers_are_replaced_far_apart_and_boot_from_the_preloaded_app():
    """With 2,000 requests and a jitter of 200, an instance's workers (sharing the load
    evenly) retired within seconds of each other, each importing the app again for 4-8 s."""
    config = gunicorn_config()
    assert config["max_requests"] == 2000
    assert config["max_requests_jitter"] >= config["max_requests"] // 2
    assert config["preload_app"] is True
    assert gunicorn_config(GUNICORN_MAX_REQUESTS="40")["max_requests_jitter"] == 20


def test_a_real_gunicorn_run_replaces_each_worker_after_its_own_count(tmp_path):
    """Three workers, 12 requests each plus a jitter of up to 6: the workers retire after
    different counts, and no request goes unanswered while they are replaced."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "0",
        "GUNICORN_MAX_REQUESTS": "12",
    }
    port = free_port()
    log = tmp_path / "access.log"
    errors = (tmp_path / "stderr.log").open("w")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "3", "--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s",
         "survey.wsgi"],
        cwd=ROOT, env=env, stdout=errors, stderr=errors,
    )  # fmt: skip
    statuses = []
    try:
        base = f"http://127.0.0.1:{port}/health/"
        for _ in range(100):
            try:
                fetch(base)
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(120):
            try:
                statuses.append(fetch(base))
            except OSError as error:
                statuses.append(repr(error))
        time.sleep(0.5)  # the last retired worker is replaced
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        errors.close()
    assert set(statuses) == {200}, statuses
    served: dict[str, int] = {}
    for line in log.read_text().splitlines():
        pid = line.split()[0]
        served[pid] = served.get(pid, 0) + 1
    # Every worker that served and is no longer a child of the master retired at its limit.
    retired = [count for pid, count in served.items() if pid.strip("<>") not in children]
    assert len(retired) >= 4, (served, children)
    assert all(12 <= count <= 18 for count in retired), retired
    assert len(set(retired)) >= 2, retired  # each worker drew its own limit
