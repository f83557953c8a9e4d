"""deploy/nginx/ is what compose's proxy runs: Debian's nginx runs the shipped nginx.conf with
both sites against stub upstreams on 127.0.0.1. Its access and error logs hold no token, a
crashed worker does not bench its instance, a POST that reached an instance is never sent
again, 1,500 visitors at once are all answered, and nginx's own errors are our pages with
our headers."""

import base64
import hashlib
import http.client
import os
import re
import resource
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "nginx"
TOKEN = "S_q4zQMD7pdshnj1ybAANPKGDnDfqX23"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@pytest.fixture
def nginx():
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    return binary


@pytest.fixture
def socket_dir():
    # A Unix socket's path must stay under 108 bytes; pytest's tmp_path can be longer.
    directory = tempfile.mkdtemp(prefix="ngxlog")
    os.chmod(directory, 0o755)
    yield Path(directory)
    shutil.rmtree(directory, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def configure(
    tmp_path: Path, site: str, port: int, upstreams: int | list[int], log_socket: Path | None = None
) -> Path:
    """The shipped nginx.conf, common.conf, site, proxy.inc and errors.inc, with the paths
    moved into tmp_path and compose's `web:8000` replaced by the stub upstreams."""
    upstreams = [upstreams] if isinstance(upstreams, int) else upstreams
    log_socket = log_socket or tmp_path / "error.sock"
    common = (DEPLOY / "common.conf").read_text()
    server = re.search(r"^( *)server web:8000(.*);$", common, re.M)
    assert server, "common.conf's upstream names web:8000"
    common = common.replace(
        server.group(0),
        "\n".join(f"{server.group(1)}server 127.0.0.1:{u}{server.group(2)};" for u in upstreams),
    )
    common = common.replace("/var/log/nginx/access.log", str(tmp_path / "access.log"))
    common = common.replace("/var/run/nginx-log/error.sock", str(log_socket))
    (tmp_path / "common.conf").write_text(common)
    errors = (DEPLOY / "errors.inc").read_text().replace("/etc/nginx/errors/", f"{DEPLOY}/errors/")
    (tmp_path / "errors.inc").write_text(errors)
    proxy = (DEPLOY / "proxy.inc").read_text()
    proxy = proxy.replace("/etc/nginx/snippets/errors.inc", str(tmp_path / "errors.inc"))
    (tmp_path / "proxy.inc").write_text(proxy)
    text = (DEPLOY / f"{site}.conf").read_text()
    text = text.replace("/etc/nginx/snippets/proxy.inc", str(tmp_path / "proxy.inc"))
    text = text.replace("/etc/nginx/snippets/errors.inc", str(tmp_path / "errors.inc"))
    text = text.replace("/etc/nginx/certs/", f"{tmp_path}/")
    text = text.replace("listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;")
    text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{free_port()} ssl")
    (tmp_path / "site.conf").write_text(text)
    main = (DEPLOY / "nginx.conf").read_text()
    # As root, nginx's workers would run as nobody (Debian has no nginx user), who cannot
    # read a checkout in a private directory (a clone in mktemp -d): our pages would be 403s.
    main = main.replace("user nginx;", "user root;" if os.geteuid() == 0 else "")
    main = main.replace("/var/run/nginx.pid", str(tmp_path / "nginx.pid"))
    main = main.replace("/var/log/nginx/error.log", str(tmp_path / "error.log"))
    main = main.replace(
        "include /etc/nginx/conf.d/*.conf;",
        f"client_body_temp_path {tmp_path}/body;\n    proxy_temp_path {tmp_path}/proxy;\n"
        f"    include {tmp_path}/common.conf;\n    include {tmp_path}/site.conf;",
    )
    config = tmp_path / "nginx.conf"
    config.write_text(main)
    return config


class Stub(ThreadingHTTPServer):
    """An app instance on 127.0.0.1: answers 200, except that its first `crashes` requests
    die as a gunicorn worker killed mid-request does (the connection reset, no answer)."""

    daemon_threads = True
    request_queue_size = 4096

    def __init__(self, crashes: int = 0):
        self.crashes, self.seen, self.lock = crashes, [], threading.Lock()
        super().__init__(("127.0.0.1", 0), StubHandler)
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def __exit__(self, *exc):
        self.shutdown()
        super().__exit__(*exc)


class StubHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_one(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        with self.server.lock:
            self.server.seen.append((self.command, self.path))
            crash = len(self.server.seen) <= self.server.crashes
        if crash:
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            self.close_connection = True
            self.connection.close()
            return
        body = b"stub\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = handle_one


def start(nginx: str, config: Path, port: int):
    subprocess.run([nginx, "-c", str(config)], check=True)
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)


def stop(nginx: str, config: Path):
    subprocess.run([nginx, "-c", str(config), "-s", "stop"], check=False)
    pid = config.with_name("nginx.pid")
    for _ in range(100):
        if not pid.exists():
            return
        time.sleep(0.05)


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
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/s/{TOKEN}/", timeout=2)
            except urllib.error.HTTPError as error:
                if error.code == 404:
                    break  # the stub's 404, through nginx
                time.sleep(0.1)  # 503: the stub is not answering yet
            except OSError:
                time.sleep(0.1)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/invitations/{TOKEN}/?x=1",
            headers={"Referer": f"http://127.0.0.1:{port}/s/join/{TOKEN}/"},
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=5)
    finally:
        stop(nginx, config)
        stub.terminate()
        stub.wait(timeout=10)
    log = (tmp_path / "access.log").read_text()
    assert TOKEN not in log
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
        stop(nginx, config)
    assert answer.code == 503
    assert answer.headers["Retry-After"] == "30"
    for header, value in SECURITY_HEADERS.items():
        assert answer.headers[header] == value, header
    page = answer.read().decode()
    assert "Back in a moment" in page and "Sẽ hoạt động lại ngay" in page


def test_a_worker_crash_on_each_instance_does_not_take_both_out(nginx, tmp_path):
    """With nginx's default max_fails=1 fail_timeout=10s, one crash on each of two instances
    left no instance for 10 s: every request got the 503 page. Now only the requests that
    were in the crashed workers fail."""
    port = free_port()
    with Stub(crashes=1) as first, Stub(crashes=1) as second:
        config = configure(tmp_path, "http", port, [first.port, second.port])
        start(nginx, config, port)
        statuses = []
        try:
            # One connection, so one nginx worker (each worker keeps its own failure counts).
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            for _ in range(6):
                connection.request("GET", "/s/r/abc/")
                answer = connection.getresponse()
                answer.read()
                statuses.append(answer.status)
            connection.close()
        finally:
            stop(nginx, config)
        # The GET crashed on one instance was tried on the other, which crashed too.
        assert len(first.seen) >= 1 and len(second.seen) >= 1
    assert statuses == [503, 200, 200, 200, 200, 200]


def test_a_post_that_reached_an_instance_is_never_sent_again(nginx, tmp_path):
    """A worker that dies after reading a submission may have stored it: nginx answers our
    503 page and does not resend the POST to the other instance (it would count twice)."""
    port = free_port()
    with Stub(crashes=10) as first, Stub(crashes=10) as second:
        config = configure(tmp_path, "http", port, [first.port, second.port])
        start(nginx, config, port)
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request(
                "POST", "/s/r/abc/", body=b"rating=5",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )  # fmt: skip
            answer = connection.getresponse()
            page = answer.read().decode()
            connection.close()
        finally:
            stop(nginx, config)
        posts = [seen for seen in first.seen + second.seen if seen[0] == "POST"]
    assert answer.status == 503 and "Back in a moment" in page
    assert posts == [("POST", "/s/r/abc/")]


def test_1500_visitors_at_once_are_all_answered(nginx, tmp_path):
    """The image's 1,024 worker connections (512 in Debian's default) reset 13-18 % of 1,000
    concurrent visitors; each proxied request also holds a connection to the app."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 8192:
        pytest.skip(f"the open-file limit ({hard}) is too low for 1,500 connections and stubs")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 8192), hard))
    visitors = 1500
    port = free_port()
    try:
        with Stub() as app:
            config = configure(tmp_path, "http", port, app.port)
            start(nginx, config, port)
            sockets, answered = [], set()
            try:
                for _ in range(visitors):  # all connected and idle before any asks
                    client = socket.create_connection(("127.0.0.1", port), timeout=10)
                    sockets.append(client)
                selector = selectors.DefaultSelector()
                for client in sockets:
                    client.sendall(b"GET /s/r/abc/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    client.setblocking(False)
                    selector.register(client, selectors.EVENT_READ)
                received = {client: b"" for client in sockets}
                deadline = time.monotonic() + 30
                while len(answered) < visitors and time.monotonic() < deadline:
                    for key, _ in selector.select(timeout=1):
                        try:
                            chunk = key.fileobj.recv(4096)
                        except ConnectionError:
                            chunk = b""
                        if not chunk:  # closed or reset without an answer
                            selector.unregister(key.fileobj)
                            continue
                        received[key.fileobj] += chunk
                        if received[key.fileobj].startswith(b"HTTP/1.1 200"):
                            answered.add(key.fileobj)
                            selector.unregister(key.fileobj)
            finally:
                for client in sockets:
                    client.close()
                stop(nginx, config)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert len(answered) == visitors, (tmp_path / "error.log").read_text()[-2000:]


def test_nginx_error_log_lines_hold_no_token(nginx, tmp_path, socket_dir):
    """nginx writes the request line, the upstream URL and the Referer into its error log and
    cannot filter it: those lines go through deploy/nginx/error_log.py, which redacts them.
    Without the redactor running they are dropped, never written in full."""
    port, sock = free_port(), socket_dir / "error.sock"
    config = configure(tmp_path, "http", port, free_port(), sock)  # nothing listens upstream
    redacted = (tmp_path / "redacted.log").open("w")
    receiver = subprocess.Popen(
        [sys.executable, str(DEPLOY / "error_log.py"), str(sock)],
        stdout=redacted, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        if sock.exists():
            break
        time.sleep(0.05)

    def visit():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request(
            "GET", f"/s/{TOKEN}/?lang=vi", headers={"Referer": f"http://x/s/join/{TOKEN}/"}
        )
        assert connection.getresponse().status == 503
        connection.close()
        # A body over client_max_body_size: "client intended to send too large body".
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.putrequest("POST", f"/invitations/{TOKEN}/")
        connection.putheader("Content-Length", str(3 * 1024 * 1024))
        connection.endheaders()
        assert connection.getresponse().status == 413
        connection.close()

    start(nginx, config, port)
    try:
        visit()
        time.sleep(0.5)
        receiver.terminate()
        receiver.wait(timeout=10)
        visit()  # the redactor is down: nginx still answers
    finally:
        stop(nginx, config)
        redacted.close()
    lines = (tmp_path / "redacted.log").read_text()
    assert "connect() failed" in lines
    assert 'request: "GET /s/[token]/?lang=vi HTTP/1.1"' in lines
    assert "/s/[token]/?lang=vi" in lines.split("upstream:")[1]
    assert 'referrer: "http://x/s/join/[token]/"' in lines
    assert "client intended to send too large body" in lines
    assert lines.startswith("20")  # the syslog header is gone: nginx's own time stamp first
    assert TOKEN not in lines
    main_log = (tmp_path / "error.log").read_text()
    assert TOKEN not in main_log and "/s/" not in main_log


def style_hash(page: Path) -> str:
    style = re.search(r"<style>(.*?)</style>", page.read_text(), re.S)
    assert style, page
    return base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()


def raw(port: int, request: bytes) -> http.client.HTTPResponse:
    client = socket.create_connection(("127.0.0.1", port), timeout=10)
    client.sendall(request)
    answer = http.client.HTTPResponse(client)
    answer.begin()
    answer.body = answer.read().decode()
    client.close()
    return answer


def test_nginx_own_errors_are_our_pages_with_our_headers(nginx, tmp_path):
    port = free_port()
    with Stub() as app:
        config = configure(tmp_path, "http", port, app.port)
        start(nginx, config, port)
        try:
            too_large = raw(
                port, b"POST /people/ HTTP/1.1\r\nHost: x\r\nContent-Length: 3145728\r\n\r\n"
            )
            bad = raw(port, b"GET / HTTP/1.1\r\n\r\n")  # no Host: nginx's 400
            too_long = raw(port, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
            internal = raw(port, b"GET /_nginx/error.html HTTP/1.1\r\nHost: x\r\n\r\n")
            normal = raw(port, b"GET /s/r/abc/ HTTP/1.1\r\nHost: x\r\n\r\n")
        finally:
            stop(nginx, config)
        assert app.seen == [("GET", "/s/r/abc/")]  # none of the others reached the app
    assert normal.status == 200 and normal.body == "stub\n"
    assert too_large.status == 413
    assert "That file is too large" in too_large.body and "Tệp quá lớn" in too_large.body
    for answer, status in ((bad, 400), (too_long, 414), (internal, 404)):
        assert answer.status == status
        assert "That request could not be handled" in answer.body
        assert "Không thể xử lý yêu cầu" in answer.body
    hashes = {style_hash(page) for page in (DEPLOY / "errors").glob("*.html")}
    assert len(hashes) == 1, "the error pages share one <style>, allowed by its hash"
    (expected,) = hashes
    for answer in (too_large, bad, too_long, internal):
        assert answer.getheader("Content-Type") == "text/html; charset=utf-8"
        for header, value in SECURITY_HEADERS.items():
            assert answer.getheader(header) == value, header
        csp = answer.getheader("Content-Security-Policy")
        assert f"style-src 'sha256-{expected}';" in csp, "edit errors.inc with the page's style"
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe" not in csp
        assert answer.getheader("Retry-After") is None
        assert answer.getheader("Strict-Transport-Security") is None  # plain HTTP


def test_over_https_nginx_own_errors_carry_hsts_and_port_80_errors_are_ours(nginx, tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    import ssl

    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(tmp_path / "privkey.pem"),
         "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    port, tls_port = free_port(), free_port()
    with Stub() as app:
        config = configure(tmp_path, "https", port, app.port)
        site = tmp_path / "site.conf"
        site.write_text(
            re.sub(
                r"listen 127\.0\.0\.1:\d+ ssl", f"listen 127.0.0.1:{tls_port} ssl", site.read_text()
            )
        )
        start(nginx, config, tls_port)
        try:
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
            connection = http.client.HTTPSConnection(
                "127.0.0.1", tls_port, context=context, timeout=10
            )
            connection.putrequest("POST", "/people/")
            connection.putheader("Content-Length", str(3 * 1024 * 1024))
            connection.endheaders()
            too_large = connection.getresponse()
            too_large_body = too_large.read().decode()
            connection.close()
            plain = raw(port, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
            redirect = raw(port, b"GET /s/r/abc/ HTTP/1.1\r\nHost: x\r\n\r\n")
        finally:
            stop(nginx, config)
    assert too_large.status == 413 and "That file is too large" in too_large_body
    assert too_large.getheader("Strict-Transport-Security") == "max-age=31536000"
    assert too_large.getheader("X-Frame-Options") == "DENY"
    # Port 80 only redirects; its own errors are ours too, without HSTS over plain HTTP.
    assert redirect.status == 301
    assert plain.status == 414 and "That request could not be handled" in plain.body
    assert plain.getheader("Strict-Transport-Security") is None
    assert plain.getheader("Content-Security-Policy").startswith("default-src 'none'")


def test_the_redactor_takes_the_syslog_header_off_and_tokens_cut_short_too():
    sys.path.insert(0, str(DEPLOY))
    try:
        import error_log
    finally:
        sys.path.remove(str(DEPLOY))
    cut = f'request: "GET /s/r/abc/ HTTP/1.1", referrer: "https://x/s/join/{TOKEN[:20]}'
    line = error_log.line(
        f"<187>Dec  8 03:17:30 nginx: 2026/12/08 03:17:30 [error] 1#1: *1 x, {cut}\n".encode()
    )
    assert line == (
        '2026/12/08 03:17:30 [error] 1#1: *1 x, request: "GET /s/r/abc/ HTTP/1.1", '
        'referrer: "https://x/s/join/[token]'
    )
    assert error_log.line(f"GET /invitations/{TOKEN}/ /s/start/".encode()) == (
        "GET /invitations/[token]/ /s/start/"
    )
