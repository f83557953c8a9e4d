"""A real OpenID provider for the tests: tests/identity/oidc/provider.mjs (panva's
oidc-provider from the npm registry) on a free port of 127.0.0.1.

Its node_modules are installed once with `npm ci` (the committed package-lock.json) into a
cache directory named by the lock file's digest: $SSO_TEST_CACHE, else ~/.cache/salesmarketing.
"""

import hashlib
import json
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "oidc"
FILES = ("package.json", "package-lock.json", "provider.mjs")

# The provider's accounts: login (the account id) -> the claims it sends.
ACCOUNTS = {
    "lan@acme.test": {"email": "lan@acme.test", "email_verified": True, "name": "Lan Nguyen"},
    "minh@acme.test": {"email": "minh@acme.test", "email_verified": True, "name": "Minh Tran"},
    "khoa@elsewhere.test": {"email": "khoa@elsewhere.test", "email_verified": True},
    "vy@acme.test": {"email": "vy@acme.test", "email_verified": False},
    # A provider that gives no name: the leader is asked for it after the first sign-in.
    "hoa@acme.test": {"email": "hoa@acme.test", "email_verified": True},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def installed_provider() -> Path:
    lock = (HERE / "package-lock.json").read_bytes()
    root = Path(os.environ.get("SSO_TEST_CACHE") or Path.home() / ".cache" / "salesmarketing")
    target = root / f"oidc-provider-{hashlib.sha256(lock).hexdigest()[:16]}"
    if not (target / "node_modules" / "oidc-provider").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        for name in FILES[:2]:
            shutil.copy(HERE / name, target / name)
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=target,
            check=True,
            timeout=300,
        )
    shutil.copy(HERE / "provider.mjs", target / "provider.mjs")
    return target


class Provider:
    def __init__(self, process: subprocess.Popen, issuer: str) -> None:
        self.process = process
        self.issuer = issuer

    def register(self, redirect_uri: str, name: str = "Sales & Marketing Alignment") -> dict:
        """A client of the provider for exactly this redirect URI (dynamic registration)."""
        import requests

        response = requests.post(
            self.issuer + "/reg",
            json={
                "client_name": name,
                "redirect_uris": [redirect_uri],
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "token_endpoint_auth_method": "client_secret_post",
            },
            timeout=10,
        )
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    cwd = installed_provider()
    port = free_port()
    env = {**os.environ, "PORT": str(port), "OIDC_ACCOUNTS": json.dumps(ACCOUNTS)}
    process = subprocess.Popen(
        ["node", "provider.mjs"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=(cwd / "provider.log").open("w"),
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("ready "):
        process.kill()
        pytest.fail(f"the OpenID provider did not start: {line!r}")
    try:
        yield Provider(process, line.split()[1])
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(autouse=True)
def http_issuers(settings):
    settings.SSO_ALLOW_HTTP_ISSUER = True


@pytest.fixture
def saml_idp(tmp_path):
    """A fresh SAML IdP for each test (each trusts the test's own service provider)."""
    from tests.identity.saml_idp import SAMLIdP

    if not Path("/usr/bin/xmlsec1").exists():
        pytest.fail("pysaml2's IdP signs with xmlsec1: apt-get install -y xmlsec1")
    idp = SAMLIdP(tmp_path, free_port(), ACCOUNTS)
    httpd = idp.serve()
    yield idp
    httpd.shutdown()
