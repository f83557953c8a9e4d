"""deploy/nginx/ is what compose's proxy runs: Debian's nginx accepts both sites, and the
access log it writes holds no token (the proxy here answers from a stub upstream)."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "nginx"


@pytest.fixture
def nginx():
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    return binary


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def configure(tmp_path: Path, site: str, port: int, upstream: int) -> Path:
    common = (DEPLOY / "common.conf").read_text()
    common = common.replace("server web:8000;", f"server 127.0.0.1:{upstream};")
    common = common.replace("/var/log/nginx/access.log", str(tmp_path / "access.log"))
    (tmp_path / "common.conf").write_text(common)
    text = (DEPLOY / f"{site}.conf").read_text()
    proxy = (DEPLOY / "proxy.inc").read_text().replace("/etc/nginx/errors", str(DEPLOY / "errors"))
    (tmp_path / "proxy.inc").write_text(proxy)
    text = text.replace("/etc/nginx/snippets/proxy.inc", str(tmp_path / "proxy.inc"))
    text = text.replace("/etc/nginx/certs/", f"{tmp_path}/")
    text = text.replace("listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;")
    text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{free_port()} ssl")
    (tmp_path / "site.conf").write_text(text)
    config = tmp_path / "nginx.conf"
    config.write_text(
        # As root, nginx's workers run as nobody, who cannot read a checkout in a private
        # directory (a clone in mktemp -d): our error page would be a 403.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n client_body_temp_path {tmp_path}/body;\n proxy_temp_path {tmp_path}/proxy;\n"
        f" include {tmp_path}/common.conf;\n include {tmp_path}/site.conf;\n}}\n"
    )
    return config


def test_debians_nginx_accepts_the_https_site(nginx, tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(tmp_path / "privkey.pem"),
         "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    config = configure(tmp_path, "https", free_port(), free_port())
    done = subprocess.run([nginx, "-t", "-c", str(config)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_http_site_forwards_the_client_and_logs_no_token(nginx, tmp_path):
    port, upstream = free_port(), free_port()
    # The stub upstream: Python's http.server answers 404 to anything.
    stub = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(upstream), "--bind", "127.0.0.1"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", upstream)) == 0:
                break
        time.sleep(0.1)
    config = configure(tmp_path, "http", port, upstream)
    subprocess.run([nginx, "-c", str(config)], check=True)
    token = "S_q4zQMD7pdshnj1ybAANPKGDnDfqX23"
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/s/{token}/", timeout=2)
            except urllib.error.HTTPError as error:
                if error.code == 404:
                    break  # the stub's 404, through nginx
                time.sleep(0.1)  # 503: the stub is not answering yet
            except OSError:
                time.sleep(0.1)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/invitations/{token}/?x=1",
            headers={"Referer": f"http://127.0.0.1:{port}/s/join/{token}/"},
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=5)
    finally:
        subprocess.run([nginx, "-c", str(config), "-s", "stop"], check=False)
        stub.terminate()
        stub.wait(timeout=10)
    log = (tmp_path / "access.log").read_text()
    assert token not in log
    assert '"GET /s/[token]/ HTTP/1.1" 404' in log
    assert '"GET /invitations/[token]/?x=1 HTTP/1.1" 404' in log
    assert f'"http://127.0.0.1:{port}/s/join/[token]/"' in log


def test_with_no_app_instance_answering_visitors_get_our_page_and_a_retry_after(nginx, tmp_path):
    port = free_port()
    config = configure(tmp_path, "http", port, free_port())  # nothing listens upstream
    subprocess.run([nginx, "-c", str(config)], check=True)
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/s/r/abc/", timeout=2)
            except urllib.error.HTTPError as error:
                answer = error
                break
            except OSError:
                time.sleep(0.1)
    finally:
        subprocess.run([nginx, "-c", str(config), "-s", "stop"], check=False)
    assert answer.code == 503
    assert answer.headers["Retry-After"] == "30"
    page = answer.read().decode()
    assert "Back in a moment" in page and "Sẽ hoạt động lại ngay" in page
