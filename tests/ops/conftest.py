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
