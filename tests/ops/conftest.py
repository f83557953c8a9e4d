"""Servers of the tests' own, on free ports of 127.0.0.1: never the machine's shared ones."""

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, up: bool = True, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if (probe.connect_ex(("127.0.0.1", port)) == 0) == up:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} still {'closed' if up else 'open'}")


def need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("REQUIRE_BROWSER"):  # CI installs every tool the suite needs
            pytest.fail(f"{tool} is not installed")
        pytest.skip(f"{tool} is not installed")
    return found


@dataclass
class RedisServer:
    """A redis-server of the test's own, which the test may kill and start again."""

    binary: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/5"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port)]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def kill(self) -> None:
        """As when Redis crashes: SIGKILL, no goodbye to its clients."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
        wait_for_port(self.port, up=False)


@pytest.fixture
def redis_server():
    server = RedisServer(need("redis-server"))
    server.start()
    try:
        yield server
    finally:
        if server.process is not None:
            server.process.terminate()
            server.process.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server):
    return redis_server.url


class SmtpSink:
    """A real SMTP server (aiosmtpd) of the test's own that keeps what it was sent. `delay`
    makes it slow: each recipient waits that long for its answer, before the message (a
    worker killed then has not handed that message over). `on_recipient(n)` is called as
    the n-th recipient arrives."""

    def __init__(self, delay: float = 0.0) -> None:
        self.port = free_port()
        self.delay = delay
        self.messages: list[tuple[list[str], str]] = []  # (recipients, content)
        self.recipients_seen = 0
        self.on_recipient = None
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(Handler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def told(self) -> list[str]:
        return [address for recipients, _ in self.messages for address in recipients]


class Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        import asyncio

        self.sink.recipients_seen += 1
        if self.sink.on_recipient is not None:
            self.sink.on_recipient(self.sink.recipients_seen)
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        content = envelope.content.decode("utf-8", "replace")
        self.sink.messages.append((list(envelope.rcpt_tos), content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_sink(settings):
    """Mail goes over SMTP to a sink of the test's own (not started: the test starts it)."""
    pytest.importorskip("aiosmtpd")
    sink = SmtpSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 10
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        sink.stop()
