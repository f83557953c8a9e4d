"""The production environment that .env.example documents passes Django's deploy checks,
and behind HTTPS the site sends HSTS and `__Host-` cookies."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_environment(tmp_path: Path) -> dict[str, str]:
    env = {"PATH": os.environ["PATH"]}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    # The blanks an operator fills in.
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["POSTGRES_PASSWORD"] = secrets.token_urlsafe(16)
    return env


def test_every_setting_the_app_reads_is_in_env_example():
    # A setting is documented by a NAME=value line, or (an older alias) NAME= in a comment.
    documented = set(re.findall(r"\b([A-Z_]+)=", (ROOT / ".env.example").read_text()))
    settings_source = (ROOT / "survey" / "settings.py").read_text()
    read = set(re.findall(r"(?:environ\.get|env_bool|env_list)\(\s*\"([A-Z_]+)\"", settings_source))
    assert {"SECRET_KEY", "REDIS_URL", "NUM_PROXIES", "HTTPS"} <= read
    assert read - documented == set()


def test_check_deploy_passes_with_the_documented_production_environment(tmp_path):
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


PROBE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.conf import settings
from django.test import Client, override_settings
plain_storage = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_storage}).enable()
client = Client()
plain = client.get("/login/", headers={"host": "survey.example.com"})
proxied = client.get(
    "/login/",
    headers={"host": "survey.example.com", "x-forwarded-proto": "https"},
    REMOTE_ADDR="172.18.0.5",
)
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "status": proxied.status_code,
    "hsts": proxied.get("Strict-Transport-Security"),
    "cookies": {name: dict(morsel.items()) for name, morsel in proxied.cookies.items()},
}))
"""


def test_behind_the_tls_proxy_hsts_and_host_only_secure_cookies(tmp_path):
    env = production_environment(tmp_path)
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "survey.settings",
    }
    del env["REDIS_URL"]
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    # Plain http is sent to https; through the proxy's https the page is served.
    assert seen["plain"] == [301, "https://survey.example.com/login/"]
    assert seen["status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    csrf = seen["cookies"]["__Host-csrftoken"]
    assert csrf["secure"] is True and csrf["path"] == "/" and not csrf["domain"]
